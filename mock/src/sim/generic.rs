//! A gateway without a rule table (one added to `specs/` by YAML): a call
//! that creates answers the spec's example with the request's values and
//! fresh ids, and keeps it; a call on an id answers what was kept under it;
//! an id no call created is not found.

use serde_json::Value;

use super::{Call, Refusal};
use crate::answers;
use crate::world::World;

pub(crate) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let kind = call.answer_type;
    // The most specific id first: `/orders/{order_id}/refunds/{refund_id}` is the refund.
    let kept = call
        .path
        .iter()
        .rev()
        .find_map(|(_, id)| world.get(kind, id));
    if kept.is_none() {
        // Every id the path names must have been created, as whatever it is.
        if let Some((_, id)) = call
            .path
            .iter()
            .find(|(_, id)| world.kinds_of(id).is_empty())
        {
            return Err(Refusal::not_found("entity", id));
        }
    }
    let creates = call.method == "POST" && kept.is_none();
    let mut fresh = |old: &str| {
        let prefix = old.rfind('_').map_or("", |i| &old[..=i]);
        if !old.is_empty() && old.bytes().all(|b| b.is_ascii_digit()) {
            world.fresh_number(old.len())
        } else {
            world.fresh_id(prefix)
        }
    };
    let empty = Value::Object(Default::default());
    let answer = match (&kept, call.example()) {
        (Some(entity), _) => answers::answer(entity, call.json(), call.path, false, &mut fresh),
        (None, Some(Value::Array(_))) => Value::Array(Vec::new()),
        (None, example) => answers::answer(
            example.unwrap_or(&empty),
            call.json(),
            call.path,
            creates,
            &mut fresh,
        ),
    };
    if answer.is_object() && (creates || kept.is_some()) {
        for id in answers::ids(&answer) {
            world.put(kind, &id, &answer);
        }
    }
    Ok(answer)
}
