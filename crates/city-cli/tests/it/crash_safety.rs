//! A process killed in the middle of a write leaves a store that passes SQLite's integrity
//! check and holds every edit that was committed. Tested with loops of kills at varying times.

use crate::util::*;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// A small deterministic generator for kill delays (no clock or OS randomness in tests).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn names(t: &TestDir, cycle: Option<&str>) -> BTreeSet<String> {
    let mut args = vec!["system", "list", "--json"];
    if let Some(c) = cycle {
        args.extend(["--cycle", c]);
    }
    t.run(&args)
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap().to_string())
        .collect()
}

/// Starts `city` and kills it (SIGKILL) after `delay`, unless it finished first.
fn run_and_kill(t: &TestDir, args: &[&str], delay: Duration) -> bool {
    let mut child = t
        .command(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        if start.elapsed() >= delay {
            let _ = child.kill();
            let _ = child.wait();
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

#[test]
fn killed_adds_never_corrupt_the_store_or_lose_committed_edits() {
    let t = TestDir::camden();
    let mut rng = Lcg(7);
    let mut committed = BTreeSet::new();
    // Kill delays scale with how long an add takes on this machine (busy or not), so that
    // about half the processes die mid-way and half finish.
    let mut times = Vec::new();
    for i in 0..3 {
        let name = format!("Warm-up {i}");
        let start = Instant::now();
        t.run(&["system", "add", "--set", &format!("name={name}")])
            .ok();
        times.push(start.elapsed().as_micros() as u64);
        committed.insert(name);
    }
    times.sort_unstable();
    // The window follows the machine as the loop runs: a finished add narrows it, a killed
    // one widens it, so a burst of load (or its end) cannot make every add finish or every
    // add die.
    let mut window = (times[1] * 2).max(2_000);
    let mut killed = 0;
    for i in 0..60 {
        let name = format!("System {i:03}");
        let delay = Duration::from_micros(rng.next(window));
        if run_and_kill(
            &t,
            &["system", "add", "--set", &format!("name={name}")],
            delay,
        ) {
            committed.insert(name);
            window = (window * 9 / 10).max(2_000);
        } else {
            killed += 1;
            window = window * 11 / 10;
        }
        if i % 10 == 9 {
            t.run(&["check"]).ok();
        }
    }
    t.run(&["check"]).ok();
    let stored = names(&t, None);
    assert!(
        committed.is_subset(&stored),
        "lost committed edits: {:?}",
        committed.difference(&stored).collect::<Vec<_>>()
    );
    assert!(
        killed > 5,
        "the loop should kill some processes (killed {killed})"
    );
    assert!(committed.len() > 3, "some adds should finish");
}

#[test]
fn a_killed_carry_forward_is_all_or_nothing() {
    let t = TestDir::camden();
    let json: Vec<String> = (0..300)
        .map(|i| format!("{{\"name\":\"Bulk {i:03}\"}}"))
        .collect();
    for record in json {
        t.run(&["system", "add", "--data", &record]).ok();
    }
    let expected = names(&t, Some("2026-27"));
    assert_eq!(expected.len(), 300);
    let mut rng = Lcg(11);
    let mut outcomes = (0, 0);
    for _ in 0..12 {
        let delay = Duration::from_micros(2_000 + rng.next(60_000));
        let finished = run_and_kill(&t, &["carry-forward", "--to", "2027-28", "--quiet"], delay);
        t.run(&["check"]).ok();
        let returns = t.run(&["returns", "--json"]).json();
        let cycles: Vec<&str> = returns
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["cycle"].as_str().unwrap())
            .collect();
        if cycles.contains(&"2027-28") {
            assert_eq!(
                names(&t, Some("2027-28")),
                expected,
                "a carried-forward return must be complete"
            );
            outcomes.0 += 1;
            break;
        }
        assert!(
            !finished,
            "a finished carry-forward must leave the new return"
        );
        outcomes.1 += 1;
    }
    assert_eq!(
        names(&t, Some("2026-27")),
        expected,
        "the old return is untouched"
    );
    assert!(outcomes.0 + outcomes.1 > 0);
}
