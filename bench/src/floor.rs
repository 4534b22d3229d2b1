//! The floor: hand-written plain serde structs of the same shapes as the
//! pages' examples, as an integrator would write them without paygen: strings
//! for enums, no validation, no secret types. Money stays `Decimal` even here.

use std::collections::BTreeMap;

use paygen::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

// ---------------------------------------------------------------- requests

#[derive(Serialize, Deserialize)]
pub struct RazorpayOrder {
    pub amount: i64,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_payment: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_config: Option<PaymentConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment: Option<OrderPayment>,
}

#[derive(Serialize, Deserialize)]
pub struct PaymentConfig {
    pub capture: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_options: Option<CaptureOptions>,
}

#[derive(Serialize, Deserialize)]
pub struct CaptureOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automatic_expiry_period: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manual_expiry_period: Option<i32>,
    pub refund_speed: String,
}

#[derive(Serialize, Deserialize)]
pub struct OrderPayment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    pub email: String,
    pub contact: String,
    pub ip: String,
    pub method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser: Option<Browser>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub struct Card {
    pub number: String,
    pub name: String,
    pub expiry_month: String,
    pub expiry_year: String,
    pub cvv: String,
}

#[derive(Serialize, Deserialize)]
pub struct Browser {
    pub java_enabled: bool,
    pub javascript_enabled: bool,
    pub timezone_offset: i32,
    pub color_depth: i32,
    pub screen_width: i32,
    pub screen_height: i32,
}

#[derive(Serialize, Deserialize)]
pub struct RazorpayPayment {
    pub amount: i64,
    pub currency: String,
    pub order_id: String,
    pub email: String,
    pub contact: String,
    pub method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_present: Option<bool>,
}

#[derive(Serialize, Deserialize)]
pub struct CashfreePay {
    pub payment_session_id: String,
    pub payment_method: CashfreeMethod,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CashfreeMethod {
    Card(CashfreeCard),
}

#[derive(Serialize, Deserialize)]
pub struct CashfreeCard {
    pub channel: String,
    pub card_number: String,
    pub card_expiry_mm: String,
    pub card_expiry_yy: String,
    pub card_cvv: String,
}

#[derive(Serialize, Deserialize)]
pub struct JuspayEligibility {
    pub merchant_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    pub payment_instrument: Vec<Instrument>,
}

#[derive(Serialize, Deserialize)]
pub struct Instrument {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway_reference_id: Option<String>,
    pub payment_method: String,
    pub payment_method_type: String,
    pub command: String,
    pub gateway: String,
    pub command_input: CommandInput,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandInput {
    pub platform: String,
    pub os: String,
    pub device: String,
    pub country_code: String,
    pub phone_number: String,
    pub cred_app_present: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// Juspay's txns as a hand-written integrator sends it: flat fields through
/// serde_urlencoded, `sdk_pg_params` turned into a JSON string first.
#[derive(Deserialize)]
pub struct JuspayTxn {
    pub order_id: String,
    pub merchant_id: String,
    pub payment_method_type: String,
    pub payment_method: String,
    pub redirect_after_payment: bool,
    pub format: String,
    pub sdk_params: bool,
    pub sdk_pg_params: CommandInput,
}

#[derive(Serialize)]
struct JuspayTxnForm<'a> {
    order_id: &'a str,
    merchant_id: &'a str,
    payment_method_type: &'a str,
    payment_method: &'a str,
    redirect_after_payment: bool,
    format: &'a str,
    sdk_params: bool,
    sdk_pg_params: String,
}

impl JuspayTxn {
    /// The form body.
    pub fn encode(&self) -> Vec<u8> {
        let form = JuspayTxnForm {
            order_id: &self.order_id,
            merchant_id: &self.merchant_id,
            payment_method_type: &self.payment_method_type,
            payment_method: &self.payment_method,
            redirect_after_payment: self.redirect_after_payment,
            format: &self.format,
            sdk_params: self.sdk_params,
            sdk_pg_params: serde_json::to_string(&self.sdk_pg_params).unwrap(),
        };
        serde_urlencoded::to_string(&form).unwrap().into_bytes()
    }
}

// ---------------------------------------------------------------- responses

#[derive(Deserialize)]
pub struct Order {
    pub id: Option<String>,
    pub entity: Option<String>,
    pub amount: Option<i64>,
    pub amount_paid: Option<i64>,
    pub amount_due: Option<i64>,
    pub currency: Option<String>,
    pub receipt: Option<String>,
    pub offer_id: Option<String>,
    pub status: Option<String>,
    pub attempts: Option<i32>,
    pub notes: Option<Value>,
    pub transfers: Option<Vec<Value>>,
    pub created_at: Option<i64>,
    pub payment_workflow: Option<Workflow>,
}

#[derive(Deserialize)]
pub struct Workflow {
    pub id: Option<String>,
    pub next: Option<Vec<NextAction>>,
}

#[derive(Deserialize)]
pub struct NextAction {
    pub action: Option<String>,
    pub url: Option<String>,
}

#[derive(Deserialize)]
pub struct PaymentCreated {
    pub razorpay_payment_id: Option<String>,
    pub next: Option<Vec<NextAction>>,
}

#[derive(Deserialize)]
pub struct CashfreePayResponse {
    pub payment_amount: Option<Decimal>,
    pub cf_payment_id: Option<String>,
    pub payment_method: Option<String>,
    pub channel: Option<String>,
    pub action: Option<String>,
    pub data: Option<PayData>,
}

#[derive(Deserialize)]
pub struct PayData {
    pub url: Option<String>,
    pub payload: Option<Value>,
    pub content_type: Option<String>,
    pub method: Option<String>,
}

#[derive(Deserialize)]
pub struct EligibilityResponse {
    pub payment_instrument: Option<Vec<EligibilityResult>>,
}

#[derive(Deserialize)]
pub struct EligibilityResult {
    pub command: Option<String>,
    pub payment_method: Option<String>,
    pub payment_method_type: Option<String>,
    pub gateway: Option<String>,
    pub status: Option<String>,
    pub command_output: Option<CredResult>,
    pub gateway_reference_id: Option<String>,
}

#[derive(Deserialize)]
pub struct CredResult {
    pub status: Option<String>,
    pub error_code: Option<String>,
    pub response: Option<CredResponse>,
    pub error_description: Option<String>,
    pub error_message: Option<String>,
}

#[derive(Deserialize)]
pub struct CredResponse {
    pub checkout_mode: Option<String>,
    pub state: Option<String>,
    pub layout: Option<BTreeMap<String, String>>,
    pub tracking_id: Option<String>,
    pub intent_url: Option<String>,
    pub web_url: Option<String>,
    pub reference_id: Option<String>,
}

#[derive(Deserialize)]
pub struct TxnsResponse {
    pub txn_uuid: Option<String>,
    pub txn_id: Option<String>,
    pub status: Option<String>,
    pub payment: Option<TxnPayment>,
    pub order_id: Option<String>,
}

#[derive(Deserialize)]
pub struct TxnPayment {
    pub sdk_params: Option<CredResult>,
    pub authentication: Option<BTreeMap<String, String>>,
}
