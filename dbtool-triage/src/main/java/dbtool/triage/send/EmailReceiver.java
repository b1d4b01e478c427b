package dbtool.triage.send;

import dbtool.triage.Notice;
import dbtool.triage.Render;
import dbtool.triage.SecretRef;
import dbtool.triage.Tls;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Email over SMTP with Jakarta Mail (Eclipse Angus): STARTTLS required unless turned off (the server's
 * certificate checked, against {@code caFile} when given), AUTH with the user and a password from the
 * environment or Vault, a multipart/alternative message with a text and an HTML part.
 *
 * @param starttls false only for a relay on the same host that offers no TLS
 */
public record EmailReceiver(String name, String host, int port, String from, List<String> to, String user, SecretRef password,
                            boolean starttls, Path caFile) implements Receiver {

    @Override
    public String type() {
        return "email";
    }

    @Override
    public String deliver(Notice notice, Delivery delivery) throws DeliveryException {
        String secret = password == null ? null : SlackReceiver.resolve(password, delivery);
        Properties properties = new Properties();
        properties.put("mail.smtp.host", host);
        properties.put("mail.smtp.port", Integer.toString(port));
        properties.put("mail.smtp.connectiontimeout", "10000");
        properties.put("mail.smtp.timeout", "20000");
        properties.put("mail.smtp.writetimeout", "20000");
        properties.put("mail.smtp.starttls.enable", Boolean.toString(starttls));
        properties.put("mail.smtp.starttls.required", Boolean.toString(starttls));
        properties.put("mail.smtp.ssl.checkserveridentity", "true");
        properties.put("mail.smtp.auth", Boolean.toString(user != null));
        if (caFile != null) {
            properties.put("mail.smtp.ssl.socketFactory", Tls.trusting(caFile).getSocketFactory());
        }
        Session session = Session.getInstance(properties);
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(from));
            List<InternetAddress> recipients = new ArrayList<>();
            for (String address : to) {
                recipients.add(new InternetAddress(address));
            }
            message.setRecipients(Message.RecipientType.TO, recipients.toArray(InternetAddress[]::new));
            message.setSubject(Render.title(notice), StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            message.setHeader("X-Dbtool-Incident", notice.key());
            MimeBodyPart text = new MimeBodyPart();
            text.setText(Render.text(notice), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(Render.html(notice), StandardCharsets.UTF_8.name(), "html");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            message.setContent(alternative);
            message.saveChanges();
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(host, port, user, secret);
                transport.sendMessage(message, message.getAllRecipients());
            }
            return "mail sent to " + to.size() + " recipient(s)";
        } catch (MessagingException e) {
            throw new DeliveryException("SMTP " + host + ":" + port + ": " + HttpSender.mask(reason(e), secret == null ? List.of() : List.of(secret)));
        }
    }

    /** The innermost cause, one line: "535 authentication failed", "STARTTLS is required but host does not support STARTTLS". */
    private static String reason(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (cause != e && cause.getMessage() != null) {
            message += " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return message.replaceAll("\\s+", " ").strip();
    }
}
