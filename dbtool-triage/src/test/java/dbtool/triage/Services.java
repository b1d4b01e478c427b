package dbtool.triage;

import dbtool.testkit.LocalServers;
import dbtool.testkit.notify.GitHubIssuesServer;
import dbtool.testkit.notify.JiraServer;
import dbtool.testkit.notify.PagerDutyEventsServer;
import dbtool.testkit.notify.SlackWebhookServer;
import dbtool.testkit.vault.TestCertificates;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The services triage talks to, all on loopback: testkit's Slack, PagerDuty, GitHub and Jira servers and
 * an SMTP server (SubEthaSMTP) that requires STARTTLS and AUTH; the secrets in environment variables.
 */
final class Services implements AutoCloseable {

    static final String SLACK_PATH = "/services/T0DBTOOL/B0TRIAGE/s3cr3tSlackPath9q";
    static final String PD_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
    static final String GH_TOKEN = "ghp_testTokenValue123456789";
    static final String JIRA_TOKEN = "jira-api-token-ATATT3x";
    static final String HOOK_KEY = "hmac-key-5f3a9c";
    static final String SMTP_PASSWORD = "smtp-Pa55word!";
    static final List<String> SECRETS = List.of("s3cr3tSlackPath9q", PD_KEY, GH_TOKEN, JIRA_TOKEN, HOOK_KEY, SMTP_PASSWORD);

    final SlackWebhookServer slack;
    final PagerDutyEventsServer pagerDuty;
    final GitHubIssuesServer github;
    final JiraServer jira;
    final SMTPServer smtp;
    final List<MimeMessage> mail = new ArrayList<>();
    final List<String> smtpLogins = new ArrayList<>();
    final TestCertificates certificates;

    Services(Path dir) throws Exception {
        slack = new SlackWebhookServer(SLACK_PATH);
        pagerDuty = new PagerDutyEventsServer(PD_KEY);
        github = new GitHubIssuesServer("acme/db-incidents", GH_TOKEN);
        jira = new JiraServer("OPS", "bot@acme.example", JIRA_TOKEN);
        certificates = certificates();
        smtp = new SMTPServer.Builder().bindAddress(InetAddress.getLoopbackAddress()).port(0).hostName("localhost")
                .enableTLS().requireTLS().requireAuth().startTlsSocketFactory(certificates.serverContext())
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
                    synchronized (smtpLogins) {
                        smtpLogins.add(user);
                    }
                    if (!user.equals("dbtool") || !password.equals(SMTP_PASSWORD)) {
                        throw new LoginFailedException("535 authentication failed");
                    }
                }))
                .messageHandler((context, from, to, data) -> {
                    try {
                        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data));
                        synchronized (mail) {
                            mail.add(message);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).build();
        smtp.start();
    }

    private static TestCertificates shared;

    /** One CA and server certificate for the whole test run: each keytool call is a JVM start. */
    private static synchronized TestCertificates certificates() throws IOException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("dbtool-triage-tls");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LocalServers.deleteTree(dir)));
            shared = TestCertificates.create(dir);
        }
        return shared;
    }

    List<MimeMessage> mail() {
        synchronized (mail) {
            return List.copyOf(mail);
        }
    }

    /** The text/plain part of a received mail, and all its headers. */
    static String text(MimeMessage message) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String header : Collections.list(message.getAllHeaderLines())) {
            text.append(header).append('\n');
        }
        Multipart parts = (Multipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            if (parts.getBodyPart(i).isMimeType("text/plain")) {
                text.append(parts.getBodyPart(i).getContent());
            }
        }
        return text.toString();
    }

    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_URL", slack.webhookUrl());
        env.put("PD_KEY", PD_KEY);
        env.put("GH_TOKEN", GH_TOKEN);
        env.put("JIRA_TOKEN", JIRA_TOKEN);
        env.put("HOOK_KEY", HOOK_KEY);
        env.put("SMTP_PASSWORD", SMTP_PASSWORD);
        return env;
    }

    /** A complete triage block: every receiver, routes that reach them all for a P1/P2. */
    String triageBlock() {
        return """
                "triage": {
                  "incidents": {"repeatWindow": "4h", "groupWindow": "5m", "quietPeriod": "10m"},
                  "playbookBase": "https://dbtool.example/",
                  "receivers": {
                    "oncall-slack": {"type": "slack", "url": {"env": "SLACK_URL"}},
                    "pager": {"type": "pagerduty", "routingKey": {"env": "PD_KEY"}, "url": "%s"},
                    "dba-mail": {"type": "email", "host": "127.0.0.1", "port": %d, "from": "dbtool@acme.example", "to": ["dba@acme.example"],
                                 "user": "dbtool", "password": {"env": "SMTP_PASSWORD"}, "caFile": "%s"},
                    "tickets": {"type": "github", "repository": "acme/db-incidents", "token": {"env": "GH_TOKEN"}, "api": "%s",
                                "labels": ["dbtool"], "closeOnResolve": true},
                    "jira": {"type": "jira", "url": "%s", "project": "OPS", "issueType": "Incident", "user": "bot@acme.example",
                             "token": {"env": "JIRA_TOKEN"}}
                  },
                  "routes": {"receiver": "oncall-slack", "routes": [
                    {"match": {"priority": ["P1", "P2"]}, "receiver": "pager", "continue": true},
                    {"match": {"priority": ["P1", "P2"]}, "receiver": "dba-mail", "continue": true},
                    {"match": {"engine": "postgresql"}, "receiver": "oncall-slack", "continue": true},
                    {"match": {"tag": "tickets"}, "receiver": "tickets", "continue": true},
                    {"match": {"tag": "tickets"}, "receiver": "jira"}]}
                }""".formatted(pagerDuty.eventsUrl(), smtp.getPortAllocated(), certificates.caPem().toString().replace("\\", "\\\\"),
                github.base(), jira.base());
    }

    @Override
    public void close() throws IOException {
        slack.close();
        pagerDuty.close();
        github.close();
        jira.close();
        smtp.stop();
    }
}
