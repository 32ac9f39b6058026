//! TLS to the database server, with libpq's meaning of `sslmode`: `disable` never,
//! `prefer` (the default) when the server offers it, `require` always, refusing a server
//! that will not. As libpq does without a root certificate, `prefer` and `require`
//! encrypt without checking who the server is: the handshake's signatures are checked
//! against the certificate the server presents, but that certificate is not checked
//! against an authority (`verify-ca` and `verify-full`, which do that, are refused by
//! the URL parser). rustls, so that no system OpenSSL is needed to build claimdesk.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// The connector every connection uses; `sslmode` in the URL says whether it is used.
// ring, not aws-lc-rs: it builds with a C compiler alone (no cmake, no Go), and a
// database connection's key exchange has no need of the post-quantum groups whose
// absence rustls 0.23.48 marks by deprecating `ring::default_provider`.
#[allow(deprecated)]
pub fn connector() -> MakeRustlsConnect {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let algorithms = provider.signature_verification_algorithms;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        // The ring provider supports every default version: this cannot fail.
        .unwrap_or_else(|_| rustls::ClientConfig::builder())
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Encrypted { algorithms }))
        .with_no_client_auth();
    MakeRustlsConnect::new(config)
}

/// libpq's `sslmode=require`: any certificate, but the handshake signed by its key.
#[derive(Debug)]
struct Encrypted {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Encrypted {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
