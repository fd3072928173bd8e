//! One pagination for every list: keyset pages behind an opaque cursor.
//!
//! A client sends `?limit=&cursor=`; a list answers `{"items": [...], "next_cursor": ...}`. The
//! cursor is the base64url text of a versioned, typed key (the last row's sort key), so clients
//! cannot depend on its shape and a cursor of one list, a tampered one, or one with an
//! overflowing number never reaches SQL: it fails to decode into the list's key type and answers
//! `INVALID_CURSOR`. Handlers never parse a cursor; services decode it with
//! [`PageRequest::after`] and build the answer with [`Page::from_rows`].
//!
//! It must not know any list's key or SQL.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Items per page when the client does not say.
pub const DEFAULT_LIMIT: u32 = 50;
/// The largest page a client may ask for.
pub const MAX_LIMIT: u32 = 200;
/// The cursor format; bumped when a key's encoding changes, so old cursors answer
/// `INVALID_CURSOR` instead of landing somewhere else.
const VERSION: u8 = 1;
/// Longer cursor texts are refused before any decoding.
const MAX_CURSOR_CHARS: usize = 1024;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("limit must be between 1 and {MAX_LIMIT}")]
    Limit,
    #[error("the cursor is not a cursor of this list; start again without one")]
    Cursor,
}

/// A page asked for: a limit in range and the cursor as sent (decoded by the service).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageRequest {
    limit: u32,
    cursor: Option<String>,
}

impl PageRequest {
    /// `limit` defaults to [`DEFAULT_LIMIT`] and must be 1 to [`MAX_LIMIT`]; an empty cursor is
    /// no cursor.
    pub fn new(limit: Option<u32>, cursor: Option<String>) -> Result<PageRequest, PageError> {
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(_) => return Err(PageError::Limit),
        };
        let cursor = cursor.filter(|c| !c.is_empty());
        if cursor.as_ref().is_some_and(|c| c.len() > MAX_CURSOR_CHARS) {
            return Err(PageError::Cursor);
        }
        Ok(PageRequest { limit, cursor })
    }

    /// The first page of `limit` items.
    pub fn first(limit: u32) -> PageRequest {
        PageRequest { limit: limit.clamp(1, MAX_LIMIT), cursor: None }
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Rows to fetch: one more than the page, which tells whether another page follows.
    pub fn fetch(&self) -> i64 {
        i64::from(self.limit) + 1
    }

    /// The key the page starts after; `None` for the first page.
    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<K>, PageError> {
        self.cursor.as_deref().map(decode).transpose()
    }
}

/// One page of a list, as every list answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `?cursor=` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The page made of `rows`, fetched with `request.fetch()`: the extra row is cut and the
    /// cursor points after the last row kept, by `key`.
    pub fn from_rows<K: Serialize>(
        mut rows: Vec<T>,
        request: &PageRequest,
        key: impl Fn(&T) -> K,
    ) -> Page<T> {
        let limit = request.limit as usize;
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|row| encode(&key(row)))
        } else {
            None
        };
        Page { items: rows, next_cursor }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}

#[derive(Serialize, Deserialize)]
struct Envelope<K> {
    v: u8,
    k: K,
}

fn encode<K: Serialize>(key: &K) -> String {
    // A key is plain data (ids, numbers, timestamps): serializing it cannot fail.
    let json = serde_json::to_vec(&Envelope { v: VERSION, k: key }).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

fn decode<K: DeserializeOwned>(text: &str) -> Result<K, PageError> {
    let json = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| PageError::Cursor)?;
    let envelope: Envelope<K> = serde_json::from_slice(&json).map_err(|_| PageError::Cursor)?;
    (envelope.v == VERSION).then_some(envelope.k).ok_or(PageError::Cursor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;
    use crate::{ChannelId, DeliveryId};

    fn request(cursor: Option<String>, limit: u32) -> PageRequest {
        PageRequest::new(Some(limit), cursor).unwrap_or_default()
    }

    #[test]
    fn a_full_page_points_after_its_last_row_and_the_last_page_points_nowhere() {
        let page = Page::from_rows(vec![1, 2, 3], &request(None, 2), |n| *n);
        assert_eq!(page.items, [1, 2]);
        let next = request(page.next_cursor.clone(), 2);
        assert_eq!(next.after::<i32>(), Ok(Some(2)));
        let last = Page::from_rows(vec![3], &next, |n| *n);
        assert_eq!((last.items, last.next_cursor), (vec![3], None));
    }

    #[test]
    fn limits_outside_one_to_two_hundred_are_refused() {
        assert_eq!(PageRequest::new(None, None).map(|r| r.limit()), Ok(DEFAULT_LIMIT));
        assert_eq!(PageRequest::new(Some(0), None), Err(PageError::Limit));
        assert_eq!(PageRequest::new(Some(201), None), Err(PageError::Limit));
        assert_eq!(request(None, 200).fetch(), 201);
    }

    #[test]
    fn a_cursor_of_another_list_or_a_tampered_one_is_invalid() {
        let ours = Page::from_rows(vec![ChannelId::generate(); 2], &request(None, 1), |c| *c);
        let cursor = ours.next_cursor;
        assert!(request(cursor.clone(), 1).after::<ChannelId>().is_ok());
        assert_eq!(request(cursor, 1).after::<(Timestamp, DeliveryId)>(), Err(PageError::Cursor));
        for bad in ["%%%", "bm90IGpzb24", "eyJ2IjoyLCJrIjoxfQ", "-8000000000000000000_x"] {
            assert_eq!(
                request(Some(bad.into()), 1).after::<i32>(),
                Err(PageError::Cursor),
                "{bad}"
            );
        }
        let overflowing = URL_SAFE_NO_PAD.encode(r#"{"v":1,"k":99999999999999999999999}"#);
        assert_eq!(request(Some(overflowing), 1).after::<i64>(), Err(PageError::Cursor));
        assert_eq!(PageRequest::new(None, Some("x".repeat(2000))), Err(PageError::Cursor));
    }
}
