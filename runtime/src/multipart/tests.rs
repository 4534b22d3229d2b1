//! The encoder's parts, escapes and refusals, byte for byte.

use super::*;

#[derive(serde::Serialize)]
struct Evidence {
    dispute_id: String,
    amount: Option<i64>,
    note: Option<String>,
    kind: Kind2,
    document: FilePart,
    extra: Vec<FilePart>,
    details: Option<Details>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Kind2 {
    ProofOfDelivery,
}

#[derive(serde::Serialize)]
struct Details {
    carrier: String,
}

fn encoded<T: Serialize>(value: &T) -> Result<String, MultipartError> {
    let mut out = Vec::new();
    encode_multipart(value, &mut out)?;
    Ok(String::from_utf8(out)
        .unwrap()
        .replace(MULTIPART_BOUNDARY, "B"))
}

fn evidence() -> Evidence {
    Evidence {
        dispute_id: "PP-D-1".into(),
        amount: Some(500),
        note: None,
        kind: Kind2::ProofOfDelivery,
        document: FilePart::from_bytes("pod.pdf", "application/pdf", b"%PDF".to_vec()),
        extra: vec![
            FilePart::from_bytes("a.png", "image/png", b"A".to_vec()),
            FilePart::from_bytes("b.png", "", b"B".to_vec()),
        ],
        details: Some(Details {
            carrier: "DHL".into(),
        }),
    }
}

#[test]
fn each_field_is_a_part_in_order_files_as_files_objects_as_json() {
    assert_eq!(
        encoded(&evidence()).unwrap(),
        "--B\r\nContent-Disposition: form-data; name=\"dispute_id\"\r\n\r\nPP-D-1\r\n\
         --B\r\nContent-Disposition: form-data; name=\"amount\"\r\n\r\n500\r\n\
         --B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nPROOF_OF_DELIVERY\r\n\
         --B\r\nContent-Disposition: form-data; name=\"document\"; filename=\"pod.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n\
         --B\r\nContent-Disposition: form-data; name=\"extra\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nA\r\n\
         --B\r\nContent-Disposition: form-data; name=\"extra\"; filename=\"b.png\"\r\nContent-Type: application/octet-stream\r\n\r\nB\r\n\
         --B\r\nContent-Disposition: form-data; name=\"details\"\r\nContent-Type: application/json\r\n\r\n{\"carrier\":\"DHL\"}\r\n\
         --B--\r\n"
    );
}

#[test]
fn a_file_name_cannot_end_its_header_and_a_media_type_cannot_add_one() {
    let mut e = evidence();
    e.document = FilePart::from_bytes("a\".pdf\r\nX-Evil: 1", "application/pdf", b"x".to_vec());
    let body = encoded(&e).unwrap();
    assert!(
        body.contains("filename=\"a%22.pdf%0D%0AX-Evil: 1\"\r\n"),
        "{body}"
    );
    e.document = FilePart::from_bytes("a.pdf", "text/plain\r\nX-Evil: 1", b"x".to_vec());
    assert!(matches!(
        encoded(&e),
        Err(MultipartError::ContentType { name, .. }) if name == "document"
    ));
}

#[test]
fn a_part_holding_the_boundary_is_refused_not_cut_short() {
    let mut e = evidence();
    let forged = format!("x\r\n--{MULTIPART_BOUNDARY}--\r\n");
    e.document = FilePart::from_bytes("a.pdf", "application/pdf", forged.clone().into_bytes());
    assert_eq!(
        encoded(&e),
        Err(MultipartError::Boundary {
            name: "document".into()
        })
    );
    e = evidence();
    e.details = Some(Details { carrier: forged });
    assert!(matches!(encoded(&e), Err(MultipartError::Boundary { .. })));
}

#[test]
fn a_file_is_read_from_its_path_when_encoded_and_a_missing_one_is_an_error() {
    let dir = std::env::temp_dir().join(format!("paygen-multipart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("label.txt");
    std::fs::write(&path, "shipped").unwrap();
    let mut e = evidence();
    e.document = FilePart::from_path(&path, "text/plain");
    assert_eq!(e.document.filename(), "label.txt");
    let body = encoded(&e).unwrap();
    assert!(
        body.contains("filename=\"label.txt\"\r\nContent-Type: text/plain\r\n\r\nshipped\r\n"),
        "{body}"
    );
    std::fs::remove_file(&path).unwrap();
    match encoded(&e) {
        Err(MultipartError::Read { path: p, .. }) => assert_eq!(p, path),
        other => panic!("{other:?}"),
    }
    let _ = std::fs::remove_dir(&dir);
}

#[test]
fn debug_shows_the_size_never_the_contents() {
    let file = FilePart::from_bytes("kyc.pdf", "application/pdf", b"PAN ABCDE1234F".to_vec());
    let shown = format!("{file:?}");
    assert!(!shown.contains("ABCDE"), "{shown}");
    assert!(shown.contains("bytes: 14"), "{shown}");
}

#[test]
fn outside_multipart_a_file_is_plain_data_and_decodes_back() {
    let file = FilePart::from_bytes("a.txt", "text/plain", b"hi".to_vec());
    let json = serde_json::to_string(&file).unwrap();
    assert_eq!(
        json,
        r#"{"filename":"a.txt","content_type":"text/plain","bytes":[104,105]}"#
    );
    assert_eq!(serde_json::from_str::<FilePart>(&json).unwrap(), file);
}

#[test]
fn only_a_struct_is_a_body() {
    assert_eq!(encoded(&"text"), Err(MultipartError::NotFields));
    assert_eq!(encoded(&vec![1]), Err(MultipartError::NotFields));
}
