//! Collects every attribute problem with its span, so one compile shows them all.

use proc_macro2::TokenStream;
use quote::ToTokens;
use std::fmt::Display;

/// Every problem found so far, in the order found.
#[derive(Default)]
pub struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    /// Records `message` at the span of `tokens`.
    pub fn at<T: ToTokens, M: Display>(&mut self, tokens: T, message: M) {
        self.errors
            .push(syn::Error::new_spanned(tokens.into_token_stream(), message));
    }

    /// Records `message` at `span`.
    pub fn at_span<M: Display>(&mut self, span: proc_macro2::Span, message: M) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an error syn produced.
    pub fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// One `compile_error!` per problem.
    pub fn to_compile_errors(&self) -> TokenStream {
        self.errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }
}
