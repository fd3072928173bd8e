//! When an asset is scanned by itself: an interval (`30m`, `6h`, `1d`, from 15 minutes to 90
//! days) or a five-field cron expression in UTC (`minute hour day-of-month month day-of-week`,
//! with `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, and lists; day-of-week 0–7, Sunday
//! being 0 and 7). As in cron, when both day fields are restricted a day matching either runs.
//!
//! Scans start at most every [`MIN_GAP`]: a cron expression that fires more often is refused, so
//! a typo cannot turn into a scan a minute. It must not run anything: the worker asks
//! [`Schedule::next_after`] when to enqueue the next scheduled scan.

use chrono::{DateTime, Datelike, Duration as TimeDelta, NaiveDate, TimeZone, Timelike, Utc};
use std::fmt;

/// Two scheduled scans of one asset are at least this far apart.
pub const MIN_GAP: TimeDelta = TimeDelta::minutes(15);
const MAX_INTERVAL: TimeDelta = TimeDelta::days(90);
/// How far ahead the next run of a cron expression is looked for (`0 0 29 2 *` runs every four
/// years, on leap days).
const SEARCH_DAYS: i64 = 366 * 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Schedule {
    Every(Interval),
    Cron(Cron),
}

/// A fixed interval, in minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    minutes: i64,
}

/// A parsed cron expression; `Display` gives its canonical text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cron {
    minutes: u64,
    hours: u64,
    days: u64,
    months: u64,
    weekdays: u64,
    /// Whether the day-of-month and day-of-week fields were `*` (for the either-day rule).
    any_day: bool,
    any_weekday: bool,
    text: String,
}

impl Schedule {
    /// Parses an interval or a cron expression; the error says what is accepted.
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let text = text.trim();
        if text.split_whitespace().count() == 5 {
            let cron = Cron::parse(text)?;
            cron.check_gap()?;
            return Ok(Schedule::Cron(cron));
        }
        Interval::parse(text).map(Schedule::Every).map_err(|_| {
            "not a schedule: write an interval such as `6h` (15m to 90d) or five cron fields \
             such as `0 3 * * *` (UTC)"
                .to_string()
        })
    }

    /// The first run strictly after `after` (`None` only for a cron expression that never runs,
    /// such as `0 0 31 2 *`).
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Schedule::Every(interval) => Some(after + TimeDelta::minutes(interval.minutes)),
            Schedule::Cron(cron) => cron.next_after(after),
        }
    }
}

impl Interval {
    fn parse(text: &str) -> Result<Interval, ()> {
        let split = text.find(|c: char| !c.is_ascii_digit()).ok_or(())?;
        let (digits, unit) = text.split_at(split);
        if digits.is_empty() || digits.len() > 6 {
            return Err(());
        }
        let count: i64 = digits.parse().map_err(|_| ())?;
        let minutes = match unit {
            "m" => count,
            "h" => count * 60,
            "d" => count * 24 * 60,
            _ => return Err(()),
        };
        let span = TimeDelta::minutes(minutes);
        if span < MIN_GAP || span > MAX_INTERVAL {
            return Err(());
        }
        Ok(Interval { minutes })
    }
}

impl Cron {
    fn parse(text: &str) -> Result<Cron, String> {
        let fields: Vec<&str> = text.split_whitespace().collect();
        let [minute, hour, day, month, weekday] = fields.as_slice() else {
            return Err("a cron expression has five fields".into());
        };
        let mut weekdays = field(weekday, 0, 7, "day-of-week")?;
        if weekdays & (1 << 7) != 0 {
            weekdays = (weekdays | 1) & !(1 << 7);
        }
        Ok(Cron {
            minutes: field(minute, 0, 59, "minute")?,
            hours: field(hour, 0, 23, "hour")?,
            days: field(day, 1, 31, "day-of-month")?,
            months: field(month, 1, 12, "month")?,
            weekdays,
            any_day: *day == "*",
            any_weekday: *weekday == "*",
            text: fields.join(" "),
        })
    }

    fn day_matches(&self, date: NaiveDate) -> bool {
        let day = self.days & (1 << date.day()) != 0;
        let weekday = self.weekdays & (1 << date.weekday().num_days_from_sunday()) != 0;
        let month = self.months & (1 << date.month()) != 0;
        month
            && match (self.any_day, self.any_weekday) {
                (false, false) => day || weekday,
                _ => day && weekday,
            }
    }

    fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // The next whole minute after `after`.
        let start = after.with_second(0)?.with_nanosecond(0)? + TimeDelta::minutes(1);
        let first_day = start.date_naive();
        for offset in 0..SEARCH_DAYS {
            let date = first_day + TimeDelta::days(offset);
            if !self.day_matches(date) {
                continue;
            }
            let (from_hour, from_minute) =
                if offset == 0 { (start.hour(), start.minute()) } else { (0, 0) };
            for hour in from_hour..24 {
                if self.hours & (1 << hour) == 0 {
                    continue;
                }
                let first_minute = if hour == from_hour { from_minute } else { 0 };
                if let Some(minute) = (first_minute..60).find(|m| self.minutes & (1 << m) != 0) {
                    let at = date.and_hms_opt(hour, minute, 0)?;
                    return Some(Utc.from_utc_datetime(&at));
                }
            }
        }
        None
    }

    /// Refuses an expression with two runs closer than [`MIN_GAP`]: runs repeat at least every
    /// year (every 400 years on the calendar, but every gap shows within two weeks of any day
    /// the expression runs on), so a year of runs settles it.
    fn check_gap(&self) -> Result<(), String> {
        let origin = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).single().ok_or("clock")?;
        let Some(mut previous) = self.next_after(origin) else {
            return Err("the cron expression never runs".into());
        };
        let end = origin + TimeDelta::days(400);
        while let Some(next) = self.next_after(previous) {
            if next > end {
                break;
            }
            if next - previous < MIN_GAP {
                return Err(format!(
                    "the cron expression runs more often than every {} minutes",
                    MIN_GAP.num_minutes()
                ));
            }
            previous = next;
        }
        Ok(())
    }
}

/// One cron field as a bit set of the values it allows.
fn field(text: &str, low: u32, high: u32, name: &str) -> Result<u64, String> {
    let bad = || format!("the {name} field `{text:.20}` is not valid (values {low}-{high})");
    let number = |digits: &str| -> Result<u32, String> {
        if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        digits.parse::<u32>().ok().filter(|n| (low..=high).contains(n)).ok_or_else(bad)
    };
    let mut set = 0u64;
    for item in text.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((range, step)) => {
                let step: u32 =
                    step.parse().ok().filter(|s| (1..=60).contains(s)).ok_or_else(bad)?;
                (range, step)
            }
            None => (item, 1),
        };
        let (first, last) = match range {
            "*" => (low, high),
            _ => match range.split_once('-') {
                Some((a, b)) => (number(a)?, number(b)?),
                None if step > 1 => (number(range)?, high),
                None => {
                    let n = number(range)?;
                    (n, n)
                }
            },
        };
        if first > last {
            return Err(bad());
        }
        for value in (first..=last).step_by(step as usize) {
            set |= 1 << value;
        }
    }
    Ok(set)
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Every(interval) => interval.fmt(f),
            Schedule::Cron(cron) => f.write_str(&cron.text),
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let minutes = self.minutes;
        if minutes % (24 * 60) == 0 {
            write!(f, "{}d", minutes / (24 * 60))
        } else if minutes % 60 == 0 {
            write!(f, "{}h", minutes / 60)
        } else {
            write!(f, "{minutes}m")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    fn next(schedule: &str, after: &str) -> String {
        let schedule = Schedule::parse(schedule).unwrap_or_else(|e| panic!("{schedule}: {e}"));
        schedule.next_after(at(after)).map(|t| t.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn intervals_are_minutes_hours_or_days_from_fifteen_minutes_to_ninety_days() {
        assert_eq!(next("6h", "2026-01-01T10:20:00Z"), "2026-01-01T16:20:00+00:00");
        assert_eq!(Schedule::parse("90m").map(|s| s.to_string()), Ok("90m".to_string()));
        assert_eq!(Schedule::parse("120m").map(|s| s.to_string()), Ok("2h".to_string()));
        assert_eq!(Schedule::parse("1d").map(|s| s.to_string()), Ok("1d".to_string()));
        for bad in ["5m", "91d", "6", "h", "6 h", "-6h", "9999999h", ""] {
            assert!(Schedule::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cron_expressions_run_at_the_next_matching_minute() {
        assert_eq!(next("0 3 * * *", "2026-01-01T10:20:00Z"), "2026-01-02T03:00:00+00:00");
        assert_eq!(next("0 3 * * *", "2026-01-01T02:59:30Z"), "2026-01-01T03:00:00+00:00");
        assert_eq!(next("*/15 * * * *", "2026-01-01T10:20:00Z"), "2026-01-01T10:30:00+00:00");
        assert_eq!(next("30 9 * * 1-5", "2026-01-03T12:00:00Z"), "2026-01-05T09:30:00+00:00");
        assert_eq!(next("0 0 1 */3 *", "2026-02-10T00:00:00Z"), "2026-04-01T00:00:00+00:00");
        assert_eq!(next("0 0 29 2 *", "2026-03-01T00:00:00Z"), "2028-02-29T00:00:00+00:00");
        // Sunday is 0 and 7.
        assert_eq!(next("0 12 * * 7", "2026-01-01T00:00:00Z"), "2026-01-04T12:00:00+00:00");
    }

    #[test]
    fn restricting_both_day_fields_runs_on_either() {
        // The 13th, or any Friday.
        assert_eq!(next("0 0 13 * 5", "2026-01-01T00:00:00Z"), "2026-01-02T00:00:00+00:00");
        assert_eq!(next("0 0 13 * 5", "2026-01-10T00:00:00Z"), "2026-01-13T00:00:00+00:00");
    }

    #[test]
    fn cron_expressions_that_run_too_often_or_never_are_refused() {
        for bad in ["* * * * *", "*/5 * * * *", "0,10 * * * *", "0 0 31 2 *", "60 * * * *"] {
            assert!(Schedule::parse(bad).is_err(), "{bad}");
        }
        for bad in
            ["0 24 * * *", "0 0 0 * *", "0 0 * 13 *", "0 0 * * 8", "5-1 * * * *", "a b c d e"]
        {
            assert!(Schedule::parse(bad).is_err(), "{bad}");
        }
        assert!(Schedule::parse("0,30 * * * *").is_ok());
        assert_eq!(
            Schedule::parse("0   3 * *  *").map(|s| s.to_string()),
            Ok("0 3 * * *".to_string())
        );
    }
}
