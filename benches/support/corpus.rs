//! The generated member-message corpus shared by the screening benchmark
//! and `examples/corpus.rs` (which writes it as JSON Lines for profiling).
//! Mostly plain requests of 40–600 bytes; 12% add a near-miss (negated,
//! past, hypothetical, idiom), 8% a red flag, 3% are long with a buried
//! red flag; some in Spanish, 5% in capitals.

/// A small deterministic generator (xorshift), so every run sees one corpus.
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

pub const GREETINGS: &[&str] = &[
    "Hi,",
    "Hello Dr. Patel,",
    "Good morning!",
    "hey",
    "Hola,",
    "",
];
/// Plain requests: most of what members write.
pub const ROUTINE: &[&str] = &[
    "I need a refill of my lisinopril 10 mg, I have about a week left.",
    "Can you send the prescription to the CVS on Main Street instead of Walgreens?",
    "Are my cholesterol results from Tuesday back yet? I saw something in the app.",
    "I'd like to move my appointment on the 14th to the following week if possible.",
    "My insurance changed in January, do you need a copy of my new card?",
    "Could the nurse call me about the forms for my son's school physical?",
    "I have a question about my A1c, it went from 6.9 to 7.2, should I change anything?",
    "The pharmacy says they never got the refill request for my metformin.",
    "Can I get a referral to dermatology for a mole I want checked, no rush.",
    "quiero saber si ya estan mis resultados de laboratorio de la semana pasada",
    "necesito una cita para mi hija, tiene tos desde hace dos dias pero come bien",
    "thx for the help last time, the new inhaler works great",
    "My knee still clicks after PT, should I book another visit?",
    "i think i need a new CPAP mask, mine is cracked. do u order those",
    "Please fax the FMLA paperwork to my employer, the number is on file.",
    "Do I need to fast before the blood work next Monday?",
    "Can my husband pick up my prescription for me?",
    "me pueden mandar la receta a otra farmacia por favor",
];
/// Near-misses: scary words that are negated, past, hypothetical or idioms.
pub const NEAR_MISSES: &[&str] = &[
    "I had a stroke in 2019 and I'm due for my yearly follow-up with neurology.",
    "No chest pain or shortness of breath, just want to know if I can exercise again.",
    "this paperwork is killing me lol, which form do I need for FMLA?",
    "What should I do if my son ever has a seizure at school?",
    "My dad died of a heart attack, should I get my cholesterol checked?",
];
pub const RED_FLAGS: &[&str] = &[
    "My chest feels tight and heavy and I'm sweating.",
    "my dad is slurring his words and his face looks droopy",
    "I took a whole bottle of my sleeping pills",
    "i dont want to be alive anymore",
    "my 2 month old has a fever of 100.8",
    "tengo un dolor muy fuerte en el pecho y no puedo respirar",
    "the cut wont stop bleeding its been 20 minutes",
    "ran out of insulin yesterday",
];

pub fn message(rng: &mut Rng) -> String {
    let mut m = String::new();
    m.push_str(rng.pick(GREETINGS));
    let sentences = 1 + rng.next() % 4;
    for _ in 0..sentences {
        m.push(' ');
        m.push_str(rng.pick(ROUTINE));
    }
    if rng.chance(12) {
        m.push(' ');
        m.push_str(rng.pick(NEAR_MISSES));
    }
    if rng.chance(8) {
        m.push(' ');
        m.push_str(rng.pick(RED_FLAGS));
    }
    if rng.chance(3) {
        // a long message with a red flag buried in the middle
        for _ in 0..8 {
            m.push(' ');
            m.push_str(rng.pick(ROUTINE));
        }
        m.push(' ');
        m.push_str(rng.pick(RED_FLAGS));
    }
    if rng.chance(5) {
        m = m.to_uppercase();
    }
    m.trim().to_string()
}

pub fn corpus() -> Vec<String> {
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    (0..20_000).map(|_| message(&mut rng)).collect()
}
