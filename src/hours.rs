//! Office hours and the business-hours clock that says when a reply is due.
//!
//! The clock runs only while an office is open: it skips nights, closed
//! weekdays and holidays, in the office's own time zone (so daylight-saving
//! changes and members in other zones don't move a deadline). Pure: no clock
//! is read here; callers pass the moment.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ZonedDateTime};

/// Why an office's hours could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    /// The time zone is not in the IANA database.
    #[error("unknown time zone {0:?} (use an IANA name such as America/New_York)")]
    TimeZone(String),
    /// A time is not HH:MM (00:00 to 24:00).
    #[error("{0:?} is not a time of day (use HH:MM, 00:00 to 24:00)")]
    Time(String),
    /// The office closes before (or when) it opens.
    #[error("the office closes at {closes} before it opens at {opens}")]
    Order {
        /// Opening time as written.
        opens: String,
        /// Closing time as written.
        closes: String,
    },
    /// The days are not digits 1 (Monday) to 7 (Sunday), or none are given.
    #[error("{0:?} are not office days (use digits 1 = Monday to 7 = Sunday, e.g. 12345)")]
    Days(String),
}

/// When an office is open: a daily window on some weekdays, minus holidays.
#[derive(Debug, Clone)]
pub struct OfficeHours {
    tz: TimeZone,
    /// Seconds after local midnight.
    opens: i32,
    /// Seconds after local midnight; 86,400 means midnight at the day's end.
    closes: i32,
    /// Open on these weekdays, indexed Monday = 0.
    days: [bool; 7],
    holidays: BTreeSet<Date>,
}

fn parse_clock(text: &str) -> Result<i32, HoursError> {
    let bad = || HoursError::Time(text.to_string());
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(0..=24).contains(&h) || !(0..60).contains(&m) || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 3600 + m * 60)
}

impl OfficeHours {
    /// Office hours from their stored form: an IANA zone, `HH:MM` opening and
    /// closing times, and the open weekdays as digits (`"12345"` = Monday to
    /// Friday).
    ///
    /// ```
    /// use careline::hours::OfficeHours;
    /// let hours = OfficeHours::parse("America/Chicago", "08:00", "17:00", "12345").unwrap();
    /// assert_eq!(hours.describe(), "Mon–Fri 8 AM–5 PM");
    /// ```
    pub fn parse(zone: &str, opens: &str, closes: &str, days: &str) -> Result<Self, HoursError> {
        let tz = jiff::tz::db()
            .get(zone)
            .map_err(|_| HoursError::TimeZone(zone.to_string()))?;
        let (o, c) = (parse_clock(opens)?, parse_clock(closes)?);
        if c <= o {
            return Err(HoursError::Order {
                opens: opens.to_string(),
                closes: closes.to_string(),
            });
        }
        let mut open_days = [false; 7];
        for ch in days.chars() {
            match ch.to_digit(10) {
                Some(d @ 1..=7) => open_days[d as usize - 1] = true,
                _ => return Err(HoursError::Days(days.to_string())),
            }
        }
        if !open_days.contains(&true) {
            return Err(HoursError::Days(days.to_string()));
        }
        Ok(Self {
            tz,
            opens: o,
            closes: c,
            days: open_days,
            holidays: BTreeSet::new(),
        })
    }

    /// The same hours, closed on these dates too.
    pub fn with_holidays(mut self, holidays: impl IntoIterator<Item = Date>) -> Self {
        self.holidays.extend(holidays);
        self
    }

    /// The office's time zone.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// Whether the office opens at all on this local date.
    pub fn is_open_on(&self, date: Date) -> bool {
        self.days[date.weekday().to_monday_zero_offset() as usize] && !self.holidays.contains(&date)
    }

    /// The moment `hours` business hours after `from`: the clock runs only
    /// while the office is open.
    ///
    /// ```
    /// use careline::hours::OfficeHours;
    /// let hours = OfficeHours::parse("America/New_York", "09:00", "17:00", "12345").unwrap();
    /// // Friday 3 PM + 16 business hours: 2 h on Friday, 8 h Monday, 6 h Tuesday.
    /// let from: jiff::Timestamp = "2026-11-27T20:00:00Z".parse().unwrap();
    /// let due = hours.add_business_hours(from, 16);
    /// assert_eq!(due.to_string(), "2026-12-01T15:00:00-05:00[America/New_York]");
    /// ```
    pub fn add_business_hours(&self, from: Timestamp, hours: u32) -> ZonedDateTime {
        let start = from.to_zoned_datetime(self.tz.clone());
        let mut left = SignedDuration::from_hours(i64::from(hours));
        let mut date = start.date();
        // Ten years of days is far beyond any office's calendar; an office
        // always has at least one open weekday, so the loop ends long before.
        for _ in 0..3660 {
            if self.is_open_on(date) {
                let opens = self.at(date, self.opens);
                let closes = self.at(date, self.closes);
                let begin = if start.timestamp() > opens.timestamp() {
                    start.clone()
                } else {
                    opens
                };
                if begin.timestamp() < closes.timestamp() {
                    let available = begin.duration_until(&closes);
                    if left <= available {
                        return begin
                            .checked_add(left)
                            .expect("a deadline within ten years fits in a timestamp");
                    }
                    left -= available;
                }
            }
            date = date.tomorrow().expect("dates within ten years exist");
        }
        unreachable!("an office with an open weekday opens within ten years")
    }

    /// The business time between two moments (zero if `to` is not after `from`).
    pub fn business_time_between(&self, from: Timestamp, to: Timestamp) -> SignedDuration {
        if to <= from {
            return SignedDuration::ZERO;
        }
        let mut total = SignedDuration::ZERO;
        let mut date = from.to_zoned_datetime(self.tz.clone()).date();
        let last = to.to_zoned_datetime(self.tz.clone()).date();
        while date <= last {
            if self.is_open_on(date) {
                let opens = self.at(date, self.opens).timestamp().max(from);
                let closes = self.at(date, self.closes).timestamp().min(to);
                if opens < closes {
                    total += opens.duration_until(closes);
                }
            }
            date = date.tomorrow().expect("dates in range exist");
        }
        total
    }

    /// The local moment `secs` after midnight of `date` (24:00 is the next
    /// midnight); a time skipped by daylight saving resolves forward.
    fn at(&self, date: Date, secs: i32) -> ZonedDateTime {
        let (date, secs) = if secs == 86_400 {
            (date.tomorrow().expect("dates in range exist"), 0)
        } else {
            (date, secs)
        };
        let time = Time::new((secs / 3600) as i8, (secs % 3600 / 60) as i8, 0, 0)
            .expect("validated when parsed");
        date.to_datetime(time)
            .to_zoned_datetime(self.tz.clone())
            .expect("a local time in range resolves in its zone")
    }

    /// The hours in words: "Mon–Fri 8 AM–5 PM", "Every day, open 24 hours".
    pub fn describe(&self) -> String {
        const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let open: Vec<usize> = (0..7).filter(|&d| self.days[d]).collect();
        let contiguous = open.windows(2).all(|w| w[1] == w[0] + 1);
        let days = if open.len() == 7 {
            "Every day".to_string()
        } else if open.len() > 2 && contiguous {
            format!("{}–{}", NAMES[open[0]], NAMES[*open.last().unwrap()])
        } else {
            open.iter()
                .map(|&d| NAMES[d])
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.opens == 0 && self.closes == 86_400 {
            return format!("{days}, open 24 hours");
        }
        format!(
            "{days} {}–{}",
            clock_words(self.opens),
            clock_words(self.closes)
        )
    }
}

/// "8 AM", "5:30 PM", "midnight".
fn clock_words(secs: i32) -> String {
    if secs == 0 || secs == 86_400 {
        return "midnight".to_string();
    }
    let (h, m) = (secs / 3600, secs % 3600 / 60);
    let suffix = if h < 12 { "AM" } else { "PM" };
    let h12 = if h % 12 == 0 { 12 } else { h % 12 };
    if m == 0 {
        format!("{h12} {suffix}")
    } else {
        format!("{h12}:{m:02} {suffix}")
    }
}

/// A deadline as members read it: "Tuesday, December 1, 3 PM EST".
pub fn deadline_words(due: &ZonedDateTime) -> String {
    let secs = i32::from(due.hour()) * 3600 + i32::from(due.minute()) * 60;
    let weekday = match due.weekday() {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    };
    let clock = if secs == 0 {
        "12 AM".to_string()
    } else {
        clock_words(secs)
    };
    format!(
        "{weekday}, {} {}, {clock} {}",
        due.strftime("%B"),
        due.day(),
        due.strftime("%Z")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ny() -> OfficeHours {
        OfficeHours::parse("America/New_York", "09:00", "17:00", "12345").unwrap()
    }

    fn due(hours: &OfficeHours, from: &str, business_hours: u32) -> String {
        let from: Timestamp = from.parse().unwrap();
        hours.add_business_hours(from, business_hours).to_string()
    }

    /// (case, office, received (UTC), business hours, due (office time)).
    #[test]
    fn reply_deadlines() {
        let thanksgiving = jiff::civil::date(2026, 11, 26);
        let cases: Vec<(&str, OfficeHours, &str, u32, &str)> = vec![
            (
                "Tuesday 10 AM + 8 h: Wednesday 10 AM",
                ny(),
                "2026-11-17T15:00:00Z",
                8,
                "2026-11-18T10:00:00-05:00[America/New_York]",
            ),
            (
                "before opening counts from opening",
                ny(),
                "2026-11-17T11:00:00Z",
                8,
                "2026-11-17T17:00:00-05:00[America/New_York]",
            ),
            (
                "after closing counts from the next morning",
                ny(),
                "2026-11-17T23:30:00Z",
                2,
                "2026-11-18T11:00:00-05:00[America/New_York]",
            ),
            (
                "Friday 3 PM skips the weekend",
                ny(),
                "2026-11-20T20:00:00Z",
                16,
                "2026-11-24T15:00:00-05:00[America/New_York]",
            ),
            (
                "received on Saturday starts Monday",
                ny(),
                "2026-11-21T15:00:00Z",
                8,
                "2026-11-23T17:00:00-05:00[America/New_York]",
            ),
            (
                "a holiday is skipped",
                ny().with_holidays([thanksgiving]),
                "2026-11-25T21:00:00Z",
                8,
                "2026-11-27T16:00:00-05:00[America/New_York]",
            ),
            (
                "exactly at closing ends that day",
                ny(),
                "2026-11-17T14:00:00Z",
                8,
                "2026-11-17T17:00:00-05:00[America/New_York]",
            ),
            (
                "across the end of daylight saving time",
                ny(),
                "2026-10-30T20:00:00Z",
                8,
                "2026-11-02T16:00:00-05:00[America/New_York]",
            ),
            (
                "another time zone: Los Angeles office, same instant",
                OfficeHours::parse("America/Los_Angeles", "09:00", "17:00", "12345").unwrap(),
                "2026-11-17T15:00:00Z",
                8,
                "2026-11-17T17:00:00-08:00[America/Los_Angeles]",
            ),
            (
                "Saturday-open pharmacy",
                OfficeHours::parse("America/Chicago", "09:00", "18:00", "123456").unwrap(),
                "2026-11-20T23:00:00Z",
                9,
                "2026-11-21T17:00:00-06:00[America/Chicago]",
            ),
            (
                "24-hour line",
                OfficeHours::parse("UTC", "00:00", "24:00", "1234567").unwrap(),
                "2026-11-21T15:00:00Z",
                48,
                "2026-11-23T15:00:00+00:00[UTC]",
            ),
        ];
        for (case, hours, from, n, want) in cases {
            assert_eq!(due(&hours, from, n), want, "{case}");
        }
    }

    #[test]
    fn business_time_between_is_the_inverse_of_adding() {
        let hours = ny().with_holidays([jiff::civil::date(2026, 11, 26)]);
        for from in [
            "2026-11-17T15:00:00Z",
            "2026-11-20T20:00:00Z",
            "2026-11-25T21:00:00Z",
        ] {
            let from: Timestamp = from.parse().unwrap();
            for n in [1, 8, 16, 40] {
                let due = hours.add_business_hours(from, n);
                assert_eq!(
                    hours.business_time_between(from, due.timestamp()),
                    SignedDuration::from_hours(i64::from(n))
                );
            }
        }
    }

    #[test]
    fn bad_hours_are_refused_with_the_reason() {
        assert_eq!(
            OfficeHours::parse("Mars/Olympus", "09:00", "17:00", "12345").unwrap_err(),
            HoursError::TimeZone("Mars/Olympus".into())
        );
        assert!(matches!(
            OfficeHours::parse("UTC", "9am", "17:00", "12345"),
            Err(HoursError::Time(_))
        ));
        assert!(matches!(
            OfficeHours::parse("UTC", "17:00", "09:00", "12345"),
            Err(HoursError::Order { .. })
        ));
        assert!(matches!(
            OfficeHours::parse("UTC", "09:00", "17:00", ""),
            Err(HoursError::Days(_))
        ));
        assert!(matches!(
            OfficeHours::parse("UTC", "09:00", "17:00", "18"),
            Err(HoursError::Days(_))
        ));
    }

    #[test]
    fn deadlines_and_hours_read_naturally() {
        let due: ZonedDateTime = "2026-12-01T17:00:00-05:00[America/New_York]"
            .parse()
            .unwrap();
        assert_eq!(deadline_words(&due), "Tuesday, December 1, 5 PM EST");
        let half: ZonedDateTime = "2026-12-01T16:30:00-05:00[America/New_York]"
            .parse()
            .unwrap();
        assert_eq!(deadline_words(&half), "Tuesday, December 1, 4:30 PM EST");
        assert_eq!(
            OfficeHours::parse("UTC", "00:00", "24:00", "1234567")
                .unwrap()
                .describe(),
            "Every day, open 24 hours"
        );
        assert_eq!(
            OfficeHours::parse("UTC", "08:30", "12:00", "135")
                .unwrap()
                .describe(),
            "Mon, Wed, Fri 8:30 AM–12 PM"
        );
    }
}
