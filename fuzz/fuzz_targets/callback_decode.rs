//! The Telegram callback-data decoder: any data decodes or is refused
//! without a panic; whatever decodes re-encodes to data (at most 64 bytes)
//! that decodes to the same action; and an action built from the input
//! round-trips through encode and decode exactly.
#![no_main]

use careline::conversation::{Action, Part};
use careline::domain::RequestKind;
use libfuzzer_sys::fuzz_target;

/// An action chosen by the input's bytes.
fn action(b: &[u8]) -> Action {
    let byte = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut id = [0u8; 8];
    for (i, x) in id.iter_mut().enumerate() {
        *x = byte(1 + i);
    }
    match byte(0) % 17 {
        0 => Action::NewMessage,
        1 => Action::Recipient(i64::from_le_bytes(id)),
        2 => Action::Kind(RequestKind::ALL[usize::from(byte(1)) % RequestKind::ALL.len()]),
        3 => Action::Subject(byte(1)),
        4 => Action::KeepSubject,
        5 => Action::Done,
        6 => Action::KeepDetails,
        7 => Action::Send,
        8 => Action::Edit(Part::Recipient),
        9 => Action::Edit(Part::Kind),
        10 => Action::Edit(Part::Subject),
        11 => Action::Edit(Part::Details),
        12 => Action::Cancel,
        13 => Action::NotEmergency,
        14 => Action::WillCall,
        15 => Action::SendAnyway,
        _ => Action::DeleteMessages(byte(1) & 1 == 1),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some((draft, decoded)) = Action::decode(&text) {
        let again = decoded.encode(draft);
        assert!(again.len() <= 64, "{again:?} is over Telegram's 64 bytes");
        assert_eq!(Action::decode(&again), Some((draft, decoded)), "{text:?}");
    }
    if data.len() >= 13 {
        let draft = u32::from_le_bytes([data[9], data[10], data[11], data[12]]);
        let built = action(data);
        let encoded = built.encode(draft);
        assert!(
            encoded.len() <= 64,
            "{encoded:?} is over Telegram's 64 bytes"
        );
        assert_eq!(
            Action::decode(&encoded),
            Some((draft, built)),
            "{encoded:?}"
        );
    }
});
