//! Delivering notifications: a [`Sender`] per channel. Email goes through [`SmtpSender`]
//! when `CHOHTX_SMTP_URL` is set, else (and phone numbers always, until an SMS sender
//! exists) through [`LogSender`], which writes the message to the server log. The outbox
//! worker (`db::outbox`) picks the sender for each row's recipient.

use crate::config::Config;
use std::{future::Future, pin::Pin, sync::Arc};

/// One message to one recipient (an email address or an E.164 phone number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub text: String,
}

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// Delivers a message, or says why not (the outbox retries it later).
pub trait Sender: Send + Sync {
    fn send<'a>(&'a self, message: &'a Message) -> SendFuture<'a>;
}

/// Writes the message to the log (target `chohtx_server::mail`): the demo's and the
/// phone numbers' delivery.
pub struct LogSender;

impl Sender for LogSender {
    fn send<'a>(&'a self, m: &'a Message) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(target: "chohtx_server::mail", to = %m.to, subject = %m.subject, "{}", m.text);
            Ok(())
        })
    }
}

/// Email over SMTP (lettre): `smtp://host:port` (plain, for a local relay),
/// `smtp://host:587?tls=required` (STARTTLS) or `smtps://host:465`, with
/// `user:password@` when the relay wants them.
pub struct SmtpSender {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpSender {
    pub fn new(url: &str, from: &str) -> anyhow::Result<SmtpSender> {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("CHOHTX_SMTP_URL {url:?}: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from.parse().map_err(|e| anyhow::anyhow!("CHOHTX_MAIL_FROM {from:?}: {e}"))?;
        Ok(SmtpSender { transport, from })
    }
}

impl Sender for SmtpSender {
    fn send<'a>(&'a self, m: &'a Message) -> SendFuture<'a> {
        Box::pin(async move {
            use lettre::AsyncTransport;
            let to: lettre::message::Mailbox = m.to.parse().map_err(|e| format!("recipient {:?}: {e}", m.to))?;
            let email = lettre::Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(&m.subject)
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(m.text.clone())
                .map_err(|e| format!("building the message: {e}"))?;
            self.transport.send(email).await.map(|_| ()).map_err(|e| format!("SMTP: {e}"))
        })
    }
}

/// The sender of each channel.
#[derive(Clone)]
pub struct Senders {
    pub email: Arc<dyn Sender>,
    pub phone: Arc<dyn Sender>,
}

impl Senders {
    /// Email through SMTP when `CHOHTX_SMTP_URL` is set, else to the log; phones to the log.
    pub fn from_config(config: &Config) -> anyhow::Result<Senders> {
        let email: Arc<dyn Sender> = match &config.smtp_url {
            Some(url) => Arc::new(SmtpSender::new(url, &config.mail_from)?),
            None => Arc::new(LogSender),
        };
        Ok(Senders { email, phone: Arc::new(LogSender) })
    }

    /// Everything to the log.
    pub fn log() -> Senders {
        Senders { email: Arc::new(LogSender), phone: Arc::new(LogSender) }
    }

    /// The sender for a recipient: an email address has an `@`, a phone number none.
    pub fn for_recipient(&self, to: &str) -> &dyn Sender {
        if to.contains('@') { self.email.as_ref() } else { self.phone.as_ref() }
    }
}
