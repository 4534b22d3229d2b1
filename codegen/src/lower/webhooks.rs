//! Webhooks (OpenAPI 3.1's top-level `webhooks`): each one's JSON body as a
//! received type, and the file's webhooks as one enum decoded by name.

use std::collections::BTreeSet;

use openapiv3::ReferenceOr;

use crate::ir::{Webhook, Webhooks};
use crate::load::SpecFile;
use crate::locate::escape;
use crate::naming;

use super::refs::REQUEST_BODIES;
use super::view::{doc_lines, plain};
use super::{Lowerer, JSON};

impl<'a> Lowerer<'a, '_> {
    /// The webhooks of `file`, in its order; `None` when it has none (or
    /// every one was skipped).
    pub(super) fn webhooks(&mut self, file: usize, module: &str) -> Option<Webhooks> {
        let spec: &'a SpecFile = self.file(file);
        if spec.webhooks.is_empty() {
            return None;
        }
        let mut events = Vec::new();
        let mut variants = BTreeSet::new();
        for (name, item) in &spec.webhooks {
            let pointer = format!("/webhooks/{}", escape(name));
            if !self.specs.skips.is_empty() && self.specs.skips.contains(&spec.path, &pointer) {
                continue;
            }
            let event = self.explained(file, &pointer, "this webhook", |this| {
                this.webhook(file, &pointer, name, item, &mut variants)
            });
            events.extend(event);
        }
        if events.is_empty() {
            return None;
        }
        let base = if module == "gateway" {
            "Webhook".to_owned()
        } else {
            format!("{}Webhook", naming::pascal(module).unwrap_or_default())
        };
        // A component may already be called `Webhook`: the enum takes the
        // first of these names that is free.
        let taken = |this: &Self, name: &str| this.table.origins.contains_key(name);
        let name = [
            base.clone(),
            format!("{base}Event"),
            format!("{base}Delivery"),
        ]
        .into_iter()
        .find(|candidate| !taken(self, candidate))?;
        self.claim_name(&name, file, "/webhooks")
            .then_some(Webhooks { name, events })
    }

    fn webhook(
        &mut self,
        file: usize,
        pointer: &str,
        name: &str,
        item: &'a ReferenceOr<openapiv3::PathItem>,
        variants: &mut BTreeSet<String>,
    ) -> Option<Webhook> {
        let ReferenceOr::Item(item) = item else {
            self.error(
                file,
                pointer,
                "a webhook must be written out, not `$ref`".into(),
                Some("paygen does not read `components.pathItems`: write the webhook's operation under its name"),
            );
            return None;
        };
        let mut operations = item.iter();
        let Some((method, op)) = operations.next() else {
            self.error(
                file,
                pointer,
                "the webhook has no operation".into(),
                Some("give it a `post` with the `requestBody` the gateway sends"),
            );
            return None;
        };
        let pointer = format!("{pointer}/{method}");
        if operations.next().is_some() {
            self.error(
                file,
                &pointer,
                "the webhook has more than one operation".into(),
                Some("a webhook is one delivery: keep the `post`"),
            );
            return None;
        }
        let Some(mut rust) = naming::variant(name) else {
            self.error(
                file,
                &pointer,
                format!("webhook `{name}` has no letter or digit to name it by in Rust"),
                Some("rename the webhook"),
            );
            return None;
        };
        // `Other` is the enum's catch-all.
        if rust == "Other" {
            rust = "OtherWebhook".to_owned();
        }
        if !variants.insert(rust.clone()) {
            self.error(
                file,
                &pointer,
                format!("webhook `{name}` is named `{rust}` in Rust, as another webhook of this file is"),
                Some("webhook names must differ in more than punctuation and case"),
            );
            return None;
        }
        let Some(body) = &op.request_body else {
            self.error(
                file,
                &pointer,
                "the webhook has no `requestBody`".into(),
                Some("document the body the gateway posts"),
            );
            return None;
        };
        let (file, body_pointer, body) = self.specs.component(
            file,
            &format!("{pointer}/requestBody"),
            body,
            &REQUEST_BODIES,
        )?;
        let Some(content) = body.content.get(JSON) else {
            let found: Vec<&String> = body.content.keys().collect();
            self.error(
                file,
                &format!("{body_pointer}/content"),
                format!("the webhook's body has no `{JSON}` content (found: {found:?})"),
                Some("paygen decodes JSON webhooks"),
            );
            return None;
        };
        let schema_pointer = format!("{body_pointer}/content/{}/schema", escape(JSON));
        let Some(schema) = &content.schema else {
            self.error(
                file,
                &schema_pointer,
                "the webhook's body has no `schema`".into(),
                None,
            );
            return None;
        };
        let body = self.type_ref(
            file,
            &schema_pointer,
            &format!("{rust}Webhook"),
            plain(schema),
        );
        // Examples belong to operations; a webhook's are not kept.
        self.scope.examples.clear();
        // `name`: its summary, when that is one line; then the description.
        let mut doc = vec![paygen_model::doc::code(name)];
        match doc_lines(op.summary.as_deref(), None).as_slice() {
            [] => {}
            [line] => doc[0] = format!("{}: {line}", doc[0]),
            lines => {
                doc.push(String::new());
                doc.extend(lines.iter().cloned());
            }
        }
        if let Some(description) = op.description.as_deref() {
            doc.push(String::new());
            doc.extend(doc_lines(Some(description), None));
        }
        Some(Webhook {
            name: name.to_owned(),
            rust,
            doc,
            body: body?,
        })
    }
}
