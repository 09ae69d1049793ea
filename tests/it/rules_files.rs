//! Loading rule folders: every problem reported with `path:line:col`, and
//! `careline rules check` exits non-zero on any of them.

use std::process::Command;

use careline::screening::{Field, Level, Screener};

use crate::helpers::scratch_rules;

/// Writes `body` as `broken.toml` in a scratch copy of the fixture rules and
/// returns every problem message (`file:line:col: message`, file name only).
fn problems_with(body: &str) -> Vec<String> {
    let dir = scratch_rules();
    std::fs::write(dir.path().join("zz-broken.toml"), body).unwrap();
    let err = Screener::load(dir.path()).expect_err("the broken file must be refused");
    err.problems
        .iter()
        .map(|p| {
            let loc = p.location.as_ref().expect("a located problem");
            format!(
                "{}:{}:{}: {}",
                loc.path.file_name().unwrap().to_string_lossy(),
                loc.line,
                loc.col,
                p.message
            )
        })
        .collect()
}

/// `bad!(name, file body, expected prefix of the one problem)`.
macro_rules! bad {
    ($name:ident, $body:expr, $expected:expr) => {
        #[test]
        fn $name() {
            let problems = problems_with($body);
            assert!(
                problems.iter().any(|p| p.starts_with($expected)),
                "expected `{}` among {:#?}",
                $expected,
                problems
            );
        }
    };
}

const OK_RULE: &str = "reason = \"r\"\nfire = [\"x y z\"]\n";

bad!(
    toml_syntax_error,
    "[[rule]]\nid = \"a\nlevel = 1\n",
    "zz-broken.toml:2:"
);
bad!(
    unknown_key,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = [\"x\"]\nreason = \"r\"\nfire = [\"x\"]\nphrase = [\"y\"]\n",
    "zz-broken.toml:7:1: unknown key `phrase` in a rule"
);
bad!(
    unknown_level,
    "[[rule]]\nid = \"a\"\nlevel = \"severe\"\nphrases = [\"x\"]\nreason = \"r\"\nfire = [\"x\"]\n",
    "zz-broken.toml:3:9: unknown level `severe`"
);
bad!(
    empty_phrase,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = [\"ok\", \"  \"]\nreason = \"r\"\nfire = [\"ok\"]\n",
    "zz-broken.toml:4:18: in `phrases`: empty term"
);
bad!(
    missing_reason,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = [\"x\"]\nfire = [\"x\"]\n",
    "zz-broken.toml:1:1: a rule needs a `reason`"
);
bad!(
    missing_examples,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = [\"x\"]\nreason = \"r\"\n",
    "zz-broken.toml:1:1: a rule needs at least one `fire` example"
);
bad!(
    bad_id,
    "[[rule]]\nid = \"Chest Pain\"\nlevel = \"urgent\"\nphrases = [\"x\"]\nreason = \"r\"\nfire = [\"x\"]\n",
    "zz-broken.toml:2:6: rule id `Chest Pain`"
);
bad!(
    duplicate_id,
    "[[rule]]\nid = \"chest\"\nlevel = \"emergency\"\nphrases = [\"crushing pressure\"]\nreason = \"r\"\nfire = [\"crushing pressure\"]\n",
    "zz-broken.toml:1:1: duplicate rule id `chest` (first defined at "
);
bad!(
    conflicting_levels,
    "[[rule]]\nid = \"mild\"\nlevel = \"urgent\"\nphrases = [\"heart attack\"]\nreason = \"r\"\nfire = [\"heart attack\"]\n",
    "zz-broken.toml:4:12: conflicting rules: phrase `heart attack` is urgent in rule `mild` but emergency in rule `chest`"
);
bad!(
    phrase_that_is_a_pseudo_cue,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = [\"dying to know\"]\nreason = \"r\"\nfire = [\"dying to know\"]\n",
    "zz-broken.toml:4:12: phrase `dying to know` is also a pseudo cue"
);
bad!(
    example_that_does_not_fire,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = [\"ear ache\"]\nreason = \"r\"\nfire = [\"my knee hurts\"]\n",
    "zz-broken.toml:6:9: example should fire rule `a` but the verdict is routine"
);
bad!(
    example_that_fires_but_should_not,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = [\"ear ache\"]\nreason = \"r\"\nfire = [\"ear ache\"]\npass = [\"bad ear ache\"]\n",
    "zz-broken.toml:7:9: example should not fire rule `a` but it did, on `ear ache`"
);
bad!(
    example_suppressed,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = [\"ear ache\"]\nreason = \"r\"\nfire = [\"no ear ache\"]\n",
    "zz-broken.toml:6:9: example should fire rule `a` but it was suppressed by the negation cue `no`"
);
bad!(
    near_with_one_group,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nnear = [[\"x\"]]\nreason = \"r\"\nfire = [\"x\"]\n",
    "zz-broken.toml:4:8: `near` needs two or more groups"
);
bad!(
    window_out_of_range,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nnear = [[\"x\"], [\"y\"]]\nwindow = 0\nreason = \"r\"\nfire = [\"x y\"]\n",
    "zz-broken.toml:5:10: `window` must be a whole number from 1 to 30"
);
bad!(
    sentences_out_of_range,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nnear = [[\"x\"], [\"y\"]]\nsentences = 40\nreason = \"r\"\nfire = [\"x y\"]\n",
    "zz-broken.toml:5:13: `sentences` must be a whole number from 1 to 3"
);
bad!(
    star_inside_a_word,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = [\"bre*th\"]\nreason = \"r\"\nfire = [\"x\"]\n",
    "zz-broken.toml:4:12: in `phrases`: `bre*th`"
);
bad!(
    number_class_outside_near,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = [\"#num\"]\nreason = \"r\"\nfire = [\"3\"]\n",
    "zz-broken.toml:4:12: `#num` is not allowed in `phrases`"
);
bad!(
    unknown_context_kind,
    "[[context]]\nkind = \"maybe\"\ncues = [\"perhaps\"]\n",
    "zz-broken.toml:2:8: unknown kind `maybe`"
);
bad!(
    wrong_type,
    "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = \"x\"\nreason = \"r\"\nfire = [\"x\"]\n",
    "zz-broken.toml:4:11: `phrases` must be a list of strings, not string"
);

#[test]
fn every_problem_of_a_file_is_reported_not_only_the_first() {
    let problems = problems_with(&format!(
        "[[rule]]\nid = \"a\"\nlevel = \"severe\"\nphrases = [\"x\"]\n{OK_RULE}\n[[rule]]\nid = \"b\"\nlevel = \"urgent\"\nphrases = [\"\"]\n{OK_RULE}"
    ));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("unknown level `severe`")),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("empty term")),
        "{problems:#?}"
    );
}

#[test]
fn invalid_utf8_is_reported_with_its_place() {
    let dir = scratch_rules();
    std::fs::write(dir.path().join("latin1.toml"), b"# ok\n# caf\xe9\n").unwrap();
    let err = Screener::load(dir.path()).unwrap_err();
    let p = &err.problems[0];
    assert_eq!(p.location.as_ref().map(|l| (l.line, l.col)), Some((2, 6)));
    assert!(p.message.contains("UTF-8"));
}

#[test]
fn an_empty_rules_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = Screener::load(dir.path()).unwrap_err();
    assert!(err.to_string().contains("holds no rule"), "{err}");
}

#[test]
fn a_folder_link_that_loops_back_is_refused_with_its_place() {
    let dir = scratch_rules();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("again")).unwrap();
    let err = Screener::load(dir.path()).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("folders deep"), "{message}");
    assert!(message.contains("again"), "{message}");
}

#[test]
fn a_folder_without_emergency_rules_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("only.toml"),
        "[[rule]]\nid = \"a\"\nlevel = \"urgent\"\nphrases = [\"ear ache\"]\nreason = \"r\"\nfire = [\"ear ache\"]\n",
    )
    .unwrap();
    let err = Screener::load(dir.path()).unwrap_err();
    assert!(err.to_string().contains("no emergency rule"), "{err}");
}

#[test]
fn rules_check_command_reports_counts_and_exits_zero_on_valid_rules() {
    let dir = scratch_rules();
    let out = rules_check(dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("rules OK: "), "{stdout}");
    assert!(stdout.contains("0 failed"), "{stdout}");
}

#[test]
fn rules_check_command_prints_locations_and_exits_non_zero() {
    let dir = scratch_rules();
    std::fs::write(
        dir.path().join("zz-broken.toml"),
        "[[rule]]\nid = \"a\"\nlevel = \"severe\"\n",
    )
    .unwrap();
    let out = rules_check(dir.path());
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("zz-broken.toml:3:9: unknown level `severe`"),
        "{stderr}"
    );
}

#[test]
fn the_shipped_rules_pass_their_own_check() {
    let screener = crate::helpers::shipped_screener();
    assert!(screener.stats().rules > 0);
    assert!(screener.check_examples().is_empty());
}

/// A rule that writes a misspelling the generator already makes from
/// another rule word ("stiches" beside "stitches") keeps that spelling from
/// being read as the real word in the other rule: `rules check` warns,
/// with the place, and still passes. A real word in the word list, an
/// inflection and a prefix stem are not warned of.
#[test]
fn rules_check_warns_of_a_written_misspelling_of_another_rule_word() {
    let dir = one_rule_file(
        r#"[[rule]]
id = "stitches"
level = "emergency"
reason = "r"
phrases = ["need stitches", "blisters", "fracture"]
fire = ["I need stitches"]

[[rule]]
id = "deep-cut"
level = "urgent"
reason = "r"
phrases = ["gash needs stiches", "a blister", "droop", "fractur*"]
fire = ["the gash needs stiches"]
"#,
    );
    std::fs::create_dir(dir.path().join("words")).unwrap();
    std::fs::write(dir.path().join("words/en.txt"), "the\ndroop\n").unwrap();

    // the rules work: the written misspelling only matches its own phrase
    let screener = Screener::load(dir.path()).unwrap();
    assert_eq!(
        screener.screen("I need stitches", Field::Details).level,
        Level::Emergency
    );
    assert_eq!(
        screener.screen("I need stiches", Field::Details).level,
        Level::Routine,
        "the written word is not read as `stitches`: what the warning is about"
    );

    let warnings = Screener::warnings(dir.path());
    let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{text:#?}");
    assert!(
        text[0].contains("a.toml:12:12: warning: `stiches` (rule `deep-cut`)")
            && text[0].contains("generate from `stitches`"),
        "{text:#?}"
    );

    let out = rules_check(dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("1 warning(s)"), "{stdout}");
    assert!(stderr.contains("warning: `stiches`"), "{stderr}");
}

#[test]
fn the_shipped_rules_write_no_misspelling_of_another_rule_word() {
    let warnings = Screener::warnings("rules");
    let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.is_empty(), "{text:#?}");
}

/// "aaa" squeezes to "a" (stretched letters read as one), so a rule that
/// writes it matches every "a": `rules check` says so.
#[test]
fn rules_check_warns_of_a_word_that_reads_as_another() {
    let dir = one_rule_file(
        r#"[[rule]]
id = "aneurysm"
level = "emergency"
reason = "r"
near = [["aaa", "aneurysm"], ["back pain"]]
fire = ["my aneurysm and back pain"]
"#,
    );
    let screener = Screener::load(dir.path()).unwrap();
    assert_eq!(
        screener.screen("a bad back pain", Field::Details).level,
        Level::Emergency,
        "what the warning is about: `aaa` matches `a`"
    );
    let text: Vec<String> = Screener::warnings(dir.path())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(text.len(), 1, "{text:#?}");
    assert!(
        text[0].contains("a.toml:5:10: warning: `aaa` (rule `aneurysm`) reads as `a`"),
        "{text:#?}"
    );
}

/// Runs `careline rules check DIR`.
fn rules_check(dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_careline"))
        .args(["rules", "check"])
        .arg(dir)
        .output()
        .unwrap()
}

/// A fresh rules folder holding `text` as `a.toml`.
fn one_rule_file(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), text).unwrap();
    dir
}
