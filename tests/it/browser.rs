//! The console in a real browser: headless Chromium driven over WebDriver
//! (chromedriver + fantoccini). Signs in, opens the top item, claims it,
//! replies and closes it, and keeps a screenshot of the queue page in
//! target/test-artifacts/.
//!
//! Needs Debian's chromium and chromium-driver (`.ci/run` installs them). On
//! a machine without them the test says it was skipped, except under CI,
//! where it fails.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};

use crate::console::{Console, PASSWORD, seed_item};
use careline::screening::Level;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find_program(names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
                .map(|p| p.display().to_string())
        })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_work_the_top_item_in_headless_chromium() {
    let (Some(driver), Some(browser)) = (
        find_program(&["chromedriver"]),
        find_program(&["chromium", "chromium-browser", "google-chrome"]),
    ) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: chromium and chromedriver are missing"
        );
        eprintln!(
            "SKIPPED browser test: install chromium and chromium-driver (apt-get install chromium \
             chromium-driver; .ci/run does this)"
        );
        return;
    };
    let c = Console::start().await;
    let top = seed_item(
        &c.store,
        555,
        1,
        "Request for Refill",
        "Chest pain yesterday, fine now. Lisinopril 10 mg.",
        Some(Level::Emergency),
    )
    .await;
    seed_item(
        &c.store,
        555,
        2,
        "Appointment Request",
        "A physical next week",
        None,
    )
    .await;

    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let _driver = Driver(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "goog:chromeOptions": {
            "binary": browser,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]
        }
    }))
    .unwrap();
    let mut client = None;
    for _ in 0..50 {
        // WebDriver on loopback is plain HTTP: no TLS stack needed.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(cl) => {
                client = Some(cl);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let b = client.expect("chromedriver did not start");

    b.goto(&format!("{}/", c.base)).await.unwrap();
    assert!(
        b.current_url().await.unwrap().path().ends_with("/signin"),
        "sent to sign in"
    );
    let css = Locator::Css;
    b.find(css("input[name=username]"))
        .await
        .unwrap()
        .send_keys("sam")
        .await
        .unwrap();
    b.find(css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    b.find(css("form[action='/signin'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Only the queue page has a GET form (its filters).
    b.wait().for_element(css("form[method=get]")).await.unwrap();

    let screenshot = b.screenshot().await.unwrap();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("console-queue.png"), &screenshot).unwrap();
    assert!(screenshot.starts_with(b"\x89PNG"), "a PNG screenshot");

    // The top item is the safety-flagged one.
    let first = b.find(css("table tbody tr td a")).await.unwrap();
    assert_eq!(
        first.text().await.unwrap(),
        careline::storage::reference(top)
    );
    first.click().await.unwrap();
    b.wait()
        .for_element(css("form[action$='/claim']"))
        .await
        .unwrap();
    assert!(b.source().await.unwrap().contains("Lisinopril 10 mg"));

    b.find(css("form[action$='/claim'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait()
        .for_element(css("form[action$='/release']"))
        .await
        .unwrap();
    let reply = "Your refill was sent to your pharmacy.";
    b.find(css("form[action$='/reply'] textarea"))
        .await
        .unwrap()
        .send_keys(reply)
        .await
        .unwrap();
    b.find(css("form[action$='/reply'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The reloaded item page lists the reply in its history.
    b.wait()
        .for_element(Locator::XPath("//p/strong[text()='reply']"))
        .await
        .unwrap();
    let outcome = b
        .find(css("form[action$='/close'] input[name=outcome]"))
        .await
        .unwrap();
    outcome.send_keys("Refill sent").await.unwrap();
    b.find(css("form[action$='/close'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Closing goes back to the queue page.
    b.wait().for_element(css("form[method=get]")).await.unwrap();
    b.close().await.unwrap();

    let item = c.store.queue_item(top).await.unwrap();
    assert_eq!(item.summary.status, "closed");
    let history = c.store.item_history(top).await.unwrap();
    assert_eq!(history[0].text, "Your refill was sent to your pharmacy.");
    assert_eq!(
        c.store.outbox_pending().await.unwrap(),
        2,
        "reply and closing note for the member"
    );
}
