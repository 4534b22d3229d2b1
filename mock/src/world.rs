//! The simulated gateway's world: the entities calls created, each found by
//! its kind and id, in the order they were made; fresh ids; the clock.
//!
//! An entity exists here only because a call (or the test, through
//! `MockGateway::drive`) made it. Nothing is ever read from a spec example
//! unless a simulator copies it in on purpose.
//!
//! Each entity is kept as its JSON text and read back as a [`Value`]; its
//! id and text are appended to the world's [`Slabs`], so a world of
//! thousands of orders is a few large buffers rather than a tree of strings
//! each, or a heap block each: the mock's request rate (the bench's
//! paygen-mock row) depends on it as the world grows. Entities are found by
//! kind, then id, in a `hashbrown` table holding only their places and
//! their ids' hashes, hashed with `foldhash` (seeded per table, and cheaper
//! than the standard SipHash) without allocating a key to look up. With the
//! hash kept, a growing table moves its places without reading an id again,
//! and a probe reads an id's text only when the hashes are equal; keeping an
//! entity probes the table once.
//!
//! An id this world minted ends with its number (base 62), and an entity
//! kept under one is found by that number in a plain list instead: a
//! `create_order` keeps two such entities, and in a table of tens of
//! thousands of random hashes each of them cost a read of memory the cache
//! did not hold (about 4% of the mock's serving thread, by `perf`). The
//! list is checked first and the table second, so an id of any shape (one a
//! test or a merchant chose) is still found, and kept once.

use std::hash::BuildHasher;
use std::ops::{Deref, DerefMut};

use foldhash::fast::RandomState;
use hashbrown::hash_table::Entry;
use hashbrown::HashTable;
use serde_json::Value;

use crate::slabs::{Slabs, Span};

/// What an entity is: `order`, `payment`, `refund`, `txn`.
pub(crate) type Kind = &'static str;

/// The kind of a place whose entity was removed: no entity has it.
const REMOVED: Kind = "";

/// Every entity of one mock, by kind and id.
#[derive(Debug, Default)]
pub(crate) struct World {
    /// Each entity's place in `entities`, by kind (a handful), then id.
    index: Vec<(Kind, Places)>,
    /// Every entity, in creation order (newest last).
    entities: Vec<Kept>,
    /// The entities' ids and JSON text.
    text: Slabs,
    /// The entity kept under each number [`World::fresh_id`] minted, by
    /// number: its place plus one, 0 when none is. An entity found here is
    /// not also in `index`.
    minted: Vec<u32>,
    counter: u64,
    /// The webhooks a call's changes send (the event's name, its payload),
    /// until the server posts them after answering the call.
    outbox: Vec<(&'static str, Value)>,
}

/// The places in `entities` of one kind's entities, found by id.
#[derive(Debug, Default)]
struct Places {
    hasher: RandomState,
    places: HashTable<Place>,
}

/// An entity's place in `entities`, with its id's hash.
#[derive(Debug, Clone, Copy)]
struct Place {
    hash: u64,
    at: usize,
}

#[derive(Debug, Clone, Copy)]
struct Kept {
    kind: Kind,
    id: Span,
    json: Span,
}

/// An entity taken out of the world to change; it is written back when
/// this is dropped.
pub(crate) struct EntityMut<'w> {
    text: &'w mut Slabs,
    json: &'w mut Span,
    value: Value,
}

impl Deref for EntityMut<'_> {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.value
    }
}

impl DerefMut for EntityMut<'_> {
    fn deref_mut(&mut self) -> &mut Value {
        &mut self.value
    }
}

impl Drop for EntityMut<'_> {
    fn drop(&mut self) {
        *self.json = self.text.push(&text_of(&self.value));
    }
}

/// The characters of a minted id, and the digits of its number in base 62
/// (`A` is 0, `9` is 61).
const DIGITS: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// How many base-62 digits end a minted id: its number.
const NUMBER_DIGITS: usize = 6;

/// The number an id ends with, read as [`World::fresh_id`] writes it; `None`
/// when its last characters are not base-62 digits. Any id may end like
/// one: the world checks the id it finds.
fn number_of(id: &str) -> Option<usize> {
    let digits = id.as_bytes().get(id.len().checked_sub(NUMBER_DIGITS)?..)?;
    digits.iter().try_fold(0usize, |number, &c| {
        let digit = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            _ => return None,
        };
        Some(number * 62 + usize::from(digit))
    })
}

/// Lists the entity at `at` in `minted` under the number `id` ends with,
/// when that number was minted (is at most `counter`) and no entity is
/// listed under it yet; whether it did.
fn list_minted(minted: &mut Vec<u32>, counter: u64, id: &str, at: usize) -> bool {
    let Some(number) = number_of(id).filter(|n| *n as u64 <= counter) else {
        return false;
    };
    let Ok(slot) = u32::try_from(at + 1) else {
        return false;
    };
    if minted.len() <= number {
        minted.resize(number + 1, 0);
    }
    let free = minted[number] == 0;
    if free {
        minted[number] = slot;
    }
    free
}

/// Whether a place is the one of the entity whose id is `id`, which hashes
/// to `hash`: the hashes first, the text only when they are equal.
fn is_id<'a>(
    entities: &'a [Kept],
    text: &'a Slabs,
    hash: u64,
    id: &'a str,
) -> impl Fn(&Place) -> bool + 'a {
    move |place| place.hash == hash && text.get(entities[place.at].id) == id
}

/// `value` as JSON text. `serde_json::to_string` writes straight into the
/// text (`Value`'s `Display` goes through a formatter, about twice as slow);
/// a `Value` always serializes, and should that change the `Display` text
/// is the same JSON.
fn text_of(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}

/// The value kept as `json`: text this module wrote from a [`Value`].
fn read(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or(Value::Null)
}

impl World {
    /// Sends webhook `event` with `payload` once the current call is answered.
    pub(crate) fn notify(&mut self, event: &'static str, payload: Value) {
        self.outbox.push((event, payload));
    }

    /// The webhooks waiting to be sent, oldest first; none are left.
    pub(crate) fn take_notices(&mut self) -> Vec<(&'static str, Value)> {
        std::mem::take(&mut self.outbox)
    }

    fn places(&self, kind: Kind) -> Option<&Places> {
        self.index.iter().find(|(k, _)| *k == kind).map(|(_, p)| p)
    }

    fn place(&self, kind: Kind, id: &str) -> Option<usize> {
        if let Some(at) = self.minted_place(kind, id) {
            return Some(at);
        }
        let places = self.places(kind)?;
        let hash = places.hasher.hash_one(id);
        let found = places
            .places
            .find(hash, is_id(&self.entities, &self.text, hash, id))?;
        Some(found.at)
    }

    /// The place of the `kind` entity kept under the number `id` ends with,
    /// when its id is `id`.
    fn minted_place(&self, kind: Kind, id: &str) -> Option<usize> {
        let slot = *self.minted.get(number_of(id)?)?;
        let at = usize::try_from(slot.checked_sub(1)?).ok()?;
        let kept = self.entities.get(at)?;
        (kept.kind == kind && self.text.get(kept.id) == id).then_some(at)
    }

    /// The entity of `kind` with `id`.
    pub(crate) fn get(&self, kind: Kind, id: &str) -> Option<Value> {
        let place = self.place(kind, id)?;
        Some(read(self.text.get(self.entities[place].json)))
    }

    /// Whether there is an entity of `kind` with `id`.
    pub(crate) fn has(&self, kind: Kind, id: &str) -> bool {
        self.place(kind, id).is_some()
    }

    /// The entity of `kind` with `id`, to change.
    pub(crate) fn get_mut(&mut self, kind: Kind, id: &str) -> Option<EntityMut<'_>> {
        let place = self.place(kind, id)?;
        let json = &mut self.entities[place].json;
        let value = read(self.text.get(*json));
        Some(EntityMut {
            text: &mut self.text,
            json,
            value,
        })
    }

    /// Keeps `entity` as `kind` `id`, replacing one kept under the same key.
    pub(crate) fn put(&mut self, kind: Kind, id: &str, entity: &Value) {
        self.put_text(kind, id, &text_of(entity));
    }

    /// Keeps the entity written as `json` (the JSON text of an object) as
    /// `kind` `id`, replacing one kept under the same key.
    pub(crate) fn put_text(&mut self, kind: Kind, id: &str, json: &str) {
        let json = self.text.push(json);
        if let Some(at) = self.minted_place(kind, id) {
            self.entities[at].json = json;
            return;
        }
        let at = match self.index.iter().position(|(k, _)| *k == kind) {
            Some(at) => at,
            None => {
                self.index.push((kind, Places::default()));
                self.index.len() - 1
            }
        };
        let places = &mut self.index[at].1;
        let hash = places.hasher.hash_one(id);
        let same_id = is_id(&self.entities, &self.text, hash, id);
        match places.places.entry(hash, same_id, |place| place.hash) {
            Entry::Occupied(found) => self.entities[found.get().at].json = json,
            Entry::Vacant(free) => {
                let place = self.entities.len();
                let kept = Kept {
                    kind,
                    id: self.text.push(id),
                    json,
                };
                self.entities.push(kept);
                if !list_minted(&mut self.minted, self.counter, id, place) {
                    free.insert(Place { hash, at: place });
                }
            }
        }
    }

    /// Forgets the entity of `kind` with `id` (a deleted saved card),
    /// answering whether there was one. Its place stays, empty, so the
    /// others keep theirs.
    pub(crate) fn remove(&mut self, kind: Kind, id: &str) -> bool {
        if let Some(place) = self.minted_place(kind, id) {
            if let Some(slot) = number_of(id).and_then(|n| self.minted.get_mut(n)) {
                *slot = 0;
            }
            self.forget(place);
            return true;
        }
        let Some(at) = self.index.iter().position(|(k, _)| *k == kind) else {
            return false;
        };
        let places = &mut self.index[at].1;
        let hash = places.hasher.hash_one(id);
        let same_id = is_id(&self.entities, &self.text, hash, id);
        let Ok(found) = places.places.find_entry(hash, same_id) else {
            return false;
        };
        let (Place { at: place, .. }, _) = found.remove();
        self.forget(place);
        true
    }

    /// Empties the place `at`: no entity has it, and the others keep theirs.
    fn forget(&mut self, at: usize) {
        let null = self.text.push("null");
        let kept = &mut self.entities[at];
        kept.kind = REMOVED;
        kept.json = null;
    }

    /// Every entity of `kind`, oldest first.
    pub(crate) fn all(&self, kind: Kind) -> impl DoubleEndedIterator<Item = (&str, Value)> {
        self.entities
            .iter()
            .filter(move |kept| kept.kind == kind)
            .map(|kept| (self.text.get(kept.id), read(self.text.get(kept.json))))
    }

    /// The kinds of every entity with `id`, oldest first.
    pub(crate) fn kinds_of(&self, id: &str) -> Vec<Kind> {
        let mut places: Vec<(usize, Kind)> = self
            .index
            .iter()
            .filter_map(|(kind, _)| Some((self.place(kind, id)?, *kind)))
            .collect();
        places.sort_unstable();
        places.into_iter().map(|(_, kind)| kind).collect()
    }

    /// A new id: `prefix` and 14 characters, like Razorpay's (`order_` +
    /// `DaaS6LOUAASb7Y`): eight at random, then the id's number in this
    /// world in six base-62 digits, so that it is unique here (for the
    /// first 62^6 ids) and the world finds what it keeps under it by
    /// number.
    pub(crate) fn fresh_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        let mut id = String::with_capacity(prefix.len() + 8 + NUMBER_DIGITS);
        id.push_str(prefix);
        id.extend((0..8).map(|_| char::from(DIGITS[fastrand::usize(..DIGITS.len())])));
        let mut number = self.counter;
        let mut digits = [0u8; NUMBER_DIGITS];
        for digit in digits.iter_mut().rev() {
            *digit = DIGITS[(number % 62) as usize];
            number /= 62;
        }
        id.extend(digits.map(char::from));
        id
    }

    /// A new all-digit id of `digits` digits (Cashfree's `cf_order_id`).
    pub(crate) fn fresh_number(&mut self, digits: usize) -> String {
        self.counter += 1;
        let counter = format!("{:06}", self.counter % 1_000_000);
        let lead: String = (0..digits.saturating_sub(counter.len()))
            .map(|i| char::from(b'0' + fastrand::u8(u8::from(i == 0)..10)))
            .collect();
        format!("{lead}{counter}")
    }

    /// The `n`th call's number, counting from 1: Juspay's attempt suffix.
    pub(crate) fn tick(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }
}

/// Seconds since the Unix epoch, now.
pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// An RFC 3339 date and time (any offset) as Unix seconds; `None` for text
/// that is not one.
pub(crate) fn unix_time(at: &str) -> Option<i64> {
    let at = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339);
    Some(at.ok()?.unix_timestamp())
}

/// `2023-08-01T12:00:00Z` for a Unix time, without a date library.
pub(crate) fn rfc3339(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    // Civil from days (Howard Hinnant's algorithm), for dates after 1970.
    let z = days as i64 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entities_exist_once_made_and_list_in_order() {
        let mut world = World::default();
        assert!(world.get("order", "order_A").is_none());
        world.put("order", "order_A", &json!({"id": "order_A"}));
        world.put("payment", "pay_B", &json!({"id": "pay_B"}));
        world.put("order", "order_C", &json!({"id": "order_C"}));
        world.put(
            "order",
            "order_A",
            &json!({"id": "order_A", "status": "paid"}),
        );
        let orders: Vec<&str> = world.all("order").map(|(id, _)| id).collect();
        assert_eq!(orders, ["order_A", "order_C"]);
        assert_eq!(world.get("order", "order_A").unwrap()["status"], "paid");
        assert!(world.get("payment", "order_A").is_none());
        assert_eq!(world.kinds_of("pay_B"), ["payment"]);
        assert!(world.has("order", "order_C") && !world.has("order", "pay_B"));
    }

    #[test]
    fn every_entity_is_found_as_the_table_grows_and_once_per_id() {
        let mut world = World::default();
        // Minted ids (listed by number) and chosen ones (in the table).
        let mut ids: Vec<String> = (0..5_000).map(|_| world.fresh_id("pay_")).collect();
        ids.extend((0..5_000).map(|n| format!("pay-chosen-{n}")));
        for (n, id) in ids.iter().enumerate() {
            world.put("payment", id, &json!({ "n": n }));
        }
        // Kept again under the same id: replaced, not added.
        world.put("payment", &ids[17], &json!({ "n": "again" }));
        world.put("payment", &ids[5_017], &json!({ "n": "again" }));
        for (n, id) in ids.iter().enumerate() {
            let want = if n % 5_000 == 17 {
                json!("again")
            } else {
                json!(n)
            };
            assert_eq!(world.get("payment", id).unwrap()["n"], want, "{id}");
        }
        assert_eq!(world.all("payment").count(), ids.len());
        assert!(world.get("payment", "pay_notkeptXXXX0000").is_none());
        assert!(world.get("order", &ids[0]).is_none() && world.get("order", &ids[5_000]).is_none());
    }

    #[test]
    fn a_minted_id_ends_with_its_number_and_is_kept_by_it_not_in_the_table() {
        let mut world = World::default();
        for n in 1..=5_000 {
            let id = world.fresh_id("order_");
            assert_eq!(number_of(&id), Some(n), "{id}");
            world.put("order", &id, &json!({ "n": n }));
        }
        // The number's first digit.
        world.counter = 62 * 62 * 62 * 62 * 62 - 1;
        let high = world.fresh_id("pay_");
        assert!(high.ends_with("BAAAAA"), "{high}");
        assert_eq!(number_of(&high), Some(62 * 62 * 62 * 62 * 62));
        assert_eq!(
            number_of("pay_Az09az"),
            // A is 0, z 51, 0 52, 9 61, a 26.
            Some(((((51 * 62) + 52) * 62 + 61) * 62 + 26) * 62 + 51)
        );
        assert_eq!(number_of("order_a-b_cd"), None);
        assert_eq!(number_of("short"), None);
        let in_table = |world: &World| world.places("order").map_or(0, |p| p.places.len());
        assert_eq!(in_table(&world), 0, "minted ids are listed by number");
        assert_eq!(
            world.minted.iter().filter(|slot| **slot != 0).count(),
            5_000
        );
        world.put("order", "order_chosen-1", &json!({}));
        assert_eq!(in_table(&world), 1, "a chosen id is in the table");
    }

    #[test]
    fn ids_sharing_a_number_and_kinds_sharing_an_id_are_each_kept_once() {
        let mut world = World::default();
        let minted = world.fresh_id("pay_");
        assert!(minted.ends_with("AAAAAB"), "number 1: {minted}");
        // A chosen id ending with the number 1 takes it first; the minted
        // id is then kept in the table, under two kinds.
        world.put("order", "chosen_AAAAAB", &json!({ "n": "chosen" }));
        world.put("payment", &minted, &json!({ "n": "payment" }));
        world.put("refund", &minted, &json!({ "n": "refund" }));
        assert_eq!(world.get("order", "chosen_AAAAAB").unwrap()["n"], "chosen");
        assert_eq!(world.get("payment", &minted).unwrap()["n"], "payment");
        assert_eq!(world.get("refund", &minted).unwrap()["n"], "refund");
        assert!(world.get("order", &minted).is_none());
        assert!(world.get("payment", "chosen_AAAAAB").is_none());
        assert_eq!(world.kinds_of(&minted), ["payment", "refund"]);
        // Its number freed, the minted id is still found in the table and
        // kept again there, not added a second time.
        assert!(world.remove("order", "chosen_AAAAAB"));
        assert!(world.get("order", "chosen_AAAAAB").is_none());
        world.put("payment", &minted, &json!({ "n": "again" }));
        assert_eq!(world.all("payment").count(), 1);
        assert_eq!(world.get("payment", &minted).unwrap()["n"], "again");
        // A listed entity removed is gone, and its number is free again.
        let next = world.fresh_id("pay_");
        world.put("payment", &next, &json!({ "n": 2 }));
        assert!(world.remove("payment", &next) && !world.remove("payment", &next));
        assert!(world.get("payment", &next).is_none());
        world.put("payment", &next, &json!({ "n": 3 }));
        assert_eq!(world.get("payment", &next).unwrap()["n"], 3);
        assert_eq!(world.all("payment").count(), 2);
    }

    #[test]
    fn a_removed_entity_is_gone_and_the_others_stay() {
        let mut world = World::default();
        world.put("card", "tkn_A", &json!({"n": 1}));
        world.put("card", "tkn_B", &json!({"n": 2}));
        assert!(world.remove("card", "tkn_A"));
        assert!(!world.remove("card", "tkn_A") && !world.remove("order", "tkn_B"));
        assert!(world.get("card", "tkn_A").is_none() && world.kinds_of("tkn_A").is_empty());
        let left: Vec<&str> = world.all("card").map(|(id, _)| id).collect();
        assert_eq!(left, ["tkn_B"]);
        assert_eq!(world.get("card", "tkn_B").unwrap()["n"], 2);
    }

    #[test]
    fn a_changed_entity_is_written_back() {
        let mut world = World::default();
        world.put("order", "order_A", &json!({"id": "order_A", "amount": 100}));
        world.get_mut("order", "order_A").unwrap()["status"] = json!("paid");
        assert_eq!(
            world.get("order", "order_A").unwrap(),
            json!({"id": "order_A", "amount": 100, "status": "paid"})
        );
        assert!(world.get_mut("order", "order_B").is_none());
    }

    #[test]
    fn fresh_ids_are_unique_and_shaped() {
        let mut world = World::default();
        let (a, b) = (world.fresh_id("order_"), world.fresh_id("order_"));
        assert_ne!(a, b);
        assert!(
            a.starts_with("order_") && a.len() == "order_DaaS6LOUAASb7Y".len(),
            "{a}"
        );
        let n = world.fresh_number(10);
        assert!(
            n.len() == 10 && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'),
            "{n}"
        );
    }

    #[test]
    fn dates_are_civil_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_690_876_800), "2023-08-01T08:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
