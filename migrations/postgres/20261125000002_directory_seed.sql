-- A starter directory so that Careline runs out of the box. A clinic
-- replaces these rows with its own offices, doctors and departments (the
-- numbers are fictional 555-01xx numbers).

INSERT INTO offices (key, name, phone, time_zone, opens, closes, days, reply_within_hours, advice_line) VALUES
    ('family-medicine', 'Riverside Family Medicine', '(555) 010-2000', 'America/New_York', '08:00', '17:00', '12345', 16, 0),
    ('cardiology',      'Riverside Cardiology',      '(555) 010-2100', 'America/New_York', '08:30', '16:30', '12345', 16, 0),
    ('pharmacy',        'Riverside Pharmacy',        '(555) 010-2200', 'America/New_York', '09:00', '18:00', '123456', 16, 0),
    ('billing',         'Member Billing Office',     '(555) 010-2300', 'America/New_York', '09:00', '17:00', '12345', 16, 0),
    ('advice-nurse',    'Advice Nurse Line',         '(555) 010-2400', 'America/New_York', '00:00', '24:00', '1234567', 16, 1);

INSERT INTO recipients (key, name, role, kind, office_id, position) VALUES
    ('dr-alvarez',   'Dr. Maria Alvarez',   'Primary care doctor',  'doctor',     (SELECT id FROM offices WHERE key = 'family-medicine'), 1),
    ('dr-chen',      'Dr. James Chen',      'Cardiologist',         'doctor',     (SELECT id FROM offices WHERE key = 'cardiology'), 2),
    ('pharmacy',     'Pharmacy',            'Refills and medicines', 'department', (SELECT id FROM offices WHERE key = 'pharmacy'), 3),
    ('appointments', 'Appointments desk',   'Scheduling',           'department', (SELECT id FROM offices WHERE key = 'family-medicine'), 4),
    ('billing',      'Billing',             'Bills and insurance',  'department', (SELECT id FROM offices WHERE key = 'billing'), 5);

-- US federal holidays observed by every office.
INSERT INTO holidays (office_id, day, name) VALUES
    (NULL, '2026-01-01', 'New Year''s Day'),
    (NULL, '2026-01-19', 'Martin Luther King Jr. Day'),
    (NULL, '2026-02-16', 'Presidents'' Day'),
    (NULL, '2026-05-25', 'Memorial Day'),
    (NULL, '2026-06-19', 'Juneteenth'),
    (NULL, '2026-07-03', 'Independence Day (observed)'),
    (NULL, '2026-09-07', 'Labor Day'),
    (NULL, '2026-10-12', 'Columbus Day'),
    (NULL, '2026-11-11', 'Veterans Day'),
    (NULL, '2026-11-26', 'Thanksgiving Day'),
    (NULL, '2026-12-25', 'Christmas Day'),
    (NULL, '2027-01-01', 'New Year''s Day'),
    (NULL, '2027-01-18', 'Martin Luther King Jr. Day'),
    (NULL, '2027-02-15', 'Presidents'' Day'),
    (NULL, '2027-05-31', 'Memorial Day'),
    (NULL, '2027-06-18', 'Juneteenth (observed)'),
    (NULL, '2027-07-05', 'Independence Day (observed)'),
    (NULL, '2027-09-06', 'Labor Day'),
    (NULL, '2027-10-11', 'Columbus Day'),
    (NULL, '2027-11-11', 'Veterans Day'),
    (NULL, '2027-11-25', 'Thanksgiving Day'),
    (NULL, '2027-12-24', 'Christmas Day (observed)'),
    (NULL, '2027-12-31', 'New Year''s Day (observed)');
