package io.platform.server;

import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.CertificateEntry;
import io.platform.api.pki.CertificateInventory;
import io.platform.api.pki.CertificateRenewal;
import io.platform.common.pki.PkiException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.convert.DurationStyle;

/**
 * {@code platform certs check | renew | rotate-ca}: the expiry of every certificate of a data dir, their renewal
 * (same subject and SANs, same or new keys), and the cluster CA's rotation with an overlap during which the old
 * and the new CA are both trusted ({@code pki/ca-bundle.crt}), as {@code kubeadm certs check-expiration | renew}
 * and Kubernetes' manual CA rotation. The API server and node agents reload their serving certificates and the
 * bundle from disk; clients built from kubeconfigs follow them. With the platform running, the bundle is published
 * for joined nodes and {@code --finish} waits until servers serve the new CA's certificates ({@link CaRotationRollout}).
 */
final class CertsCommand {

    /** {@code check} warns below this many days left, as kubeadm's residual-time column invites. */
    static final int WARN_DAYS = 30;

    static final String USAGE = """
            Usage: platform certs check [--data-dir DIR]
                   platform certs renew (--all | NAME...) [--days N] [--new-keys] [--data-dir DIR]
                   platform certs rotate-ca [--finish] [--days N] [--new-keys] [--wait-timeout 2m] [--data-dir DIR]
              check        every certificate: subject, issuer, expiry and days left (warns under 30 days)
              renew        re-issue leaf certificates and kubeconfig client certificates by the cluster CA,
                           with their subject and SANs (NAME as check prints it, e.g. apiserver, admin.kubeconfig)
              rotate-ca    a new cluster CA: both CAs are trusted (pki/ca-bundle.crt), client certificates and
                           kubeconfigs are re-issued by the new one (running components pick theirs up); hand
                           out the new kubeconfigs, then rotate-ca --finish re-issues the serving certificates by
                           the new CA and trusts only it
                           With the platform running, both steps publish the bundle in kube-public/cluster-info,
                           which joined nodes follow (they then request new certificates), and --finish drops the
                           old CA only once the API server and every answering node agent serve certificates of
                           the new CA; until then both CAs stay trusted, and a timeout leaves it so (run it again)
              --days N     validity of the new certificates (default 365)
              --new-keys   new private keys too (default: keep each key)
              --wait-timeout D  how long rotate-ca waits for a running platform (default 2m)
            """;

    enum Action { CHECK, RENEW, ROTATE_CA, FINISH_CA_ROTATION }

    static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofMinutes(2);

    record Options(Action action, Path dataDir, List<String> names, Duration validity, boolean newKeys,
            Duration waitTimeout) {

        static Options parse(List<String> args) {
            if (args.isEmpty()) {
                throw new UsageException("certs needs a subcommand: check, renew or rotate-ca\n" + USAGE);
            }
            String subcommand = args.getFirst();
            Action action = switch (subcommand) {
                case "check" -> Action.CHECK;
                case "renew" -> Action.RENEW;
                case "rotate-ca" -> Action.ROTATE_CA;
                default -> throw new UsageException("unknown certs subcommand '" + subcommand + "'\n" + USAGE);
            };
            Path dataDir = UpOptions.DEFAULT_DATA_DIR;
            List<String> names = new ArrayList<>();
            boolean all = false;
            boolean newKeys = false;
            Duration waitTimeout = DEFAULT_WAIT_TIMEOUT;
            Duration validity = CertificateAuthority.DEFAULT_LEAF_VALIDITY;
            UpOptions.Arguments arguments = new UpOptions.Arguments(args.subList(1, args.size()));
            while (arguments.hasNext()) {
                String option = arguments.next();
                switch (option) {
                    case "--data-dir" -> dataDir = Path.of(arguments.value(option));
                    case "--days" -> validity = days(arguments.value(option));
                    case "--new-keys" -> newKeys = true;
                    case "--wait-timeout" -> {
                        if (action != Action.ROTATE_CA && action != Action.FINISH_CA_ROTATION) {
                            throw new UsageException("--wait-timeout belongs to certs rotate-ca");
                        }
                        waitTimeout = waitTimeout(arguments.value(option));
                    }
                    case "--all" -> all = true;
                    case "--finish" -> {
                        if (action != Action.ROTATE_CA) {
                            throw new UsageException("--finish belongs to certs rotate-ca");
                        }
                        action = Action.FINISH_CA_ROTATION;
                    }
                    default -> {
                        if (option.startsWith("-") || action != Action.RENEW) {
                            throw new UsageException("unknown argument '" + option + "' for certs " + subcommand + "\n" + USAGE);
                        }
                        names.add(option);
                    }
                }
            }
            if (action == Action.RENEW && all && !names.isEmpty()) {
                throw new UsageException("certs renew takes --all or names, not both\n" + USAGE);
            }
            if (action == Action.RENEW && !all && names.isEmpty()) {
                throw new UsageException("certs renew needs --all or the NAMEs of certificates (platform certs check"
                        + " lists them)\n" + USAGE);
            }
            if (action != Action.RENEW && all) {
                throw new UsageException("--all belongs to certs renew\n" + USAGE);
            }
            return new Options(action, dataDir.toAbsolutePath().normalize(), List.copyOf(names), validity, newKeys,
                    waitTimeout);
        }

        private static Duration waitTimeout(String value) {
            try {
                Duration timeout = DurationStyle.detectAndParse(value);
                if (!timeout.isNegative() && !timeout.isZero()) {
                    return timeout;
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // reported below with the value given
            }
            throw new UsageException("--wait-timeout must be a duration above 0 such as 2m or 90s, not " + value);
        }

        private static Duration days(String value) {
            try {
                int days = Integer.parseInt(value);
                if (days > 0) {
                    return Duration.ofDays(days);
                }
            } catch (NumberFormatException e) {
                // reported below with the value given
            }
            throw new UsageException("--days needs a whole number of days above 0, got '" + value + "'");
        }
    }

    private final PrintStream out;
    private final Clock clock;

    CertsCommand(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    int run(Options options) {
        if (!Files.isDirectory(options.dataDir().resolve("pki"))) {
            throw new RefusedException("no cluster PKI in " + options.dataDir() + "; start the platform once"
                    + " (platform up) or pass --data-dir");
        }
        CertificateRenewal renewal = new CertificateRenewal(options.dataDir(), clock);
        try {
            switch (options.action()) {
                case CHECK -> check(options.dataDir());
                case RENEW -> {
                    printRenewed(renewal.renew(options.names(), options.validity(), options.newKeys()));
                    out.println("The API server and node agents serve renewed certificates within seconds; the"
                            + " scheduler, controllers, node agents and console present theirs on their next connection"
                            + " (the old ones stay valid until they expire).");
                }
                case ROTATE_CA -> {
                    CaRotationRollout rollout = rollout(options);
                    boolean running = rollout.running();
                    printRenewed(renewal.rotateCa(options.validity(), options.newKeys()));
                    publishTrust(rollout, running);
                    out.println("New cluster CA written; pki/ca-bundle.crt trusts the old and the new CA. Client"
                            + " certificates and kubeconfigs come from the new CA now; serving certificates keep the"
                            + " old one until the rotation is finished.");
                    out.println("Running components use their new kubeconfigs on their next connection, without a"
                            + " restart. Next: give users the new kubeconfigs (or pki/ca-bundle.crt as their CA), then"
                            + " run: platform certs rotate-ca --finish");
                }
                case FINISH_CA_ROTATION -> {
                    CaRotationRollout rollout = rollout(options);
                    boolean running = rollout.running();
                    if (!running) {
                        out.println("The platform is not running (nothing answers at the address of admin.kubeconfig):"
                                + " not waiting for servers to serve the new certificates.");
                    }
                    printRenewed(renewal.finishCaRotation(options.validity(),
                            running ? rollout::awaitServing : newCa -> {}));
                    publishTrust(rollout, running);
                    out.println("CA rotation finished: serving certificates come from the new CA and"
                            + " pki/ca-bundle.crt trusts only it; certificates of the old CA are refused from now on.");
                }
            }
        } catch (PkiException e) {
            throw new RefusedException(e.getMessage());
        }
        return PlatformMain.OK;
    }

    private CaRotationRollout rollout(Options options) {
        return new CaRotationRollout(options.dataDir(), options.waitTimeout(), out, clock);
    }

    /** Joined nodes follow the bundle in cluster-info; it can only be written while the platform runs. */
    private void publishTrust(CaRotationRollout rollout, boolean running) {
        if (!running) {
            out.println("Joined nodes (platform join) follow the CA bundle in kube-public/cluster-info, which is"
                    + " written only while the platform runs: start it and run platform token create so they see it.");
            return;
        }
        if (rollout.publishTrust()) {
            out.println("Published pki/ca-bundle.crt in kube-public/cluster-info; joined nodes take it over within"
                    + " their platform.agent.trust.sync-interval (30s).");
        }
    }

    private void check(Path dataDir) {
        Instant now = clock.instant();
        List<CertificateEntry> entries = CertificateInventory.of(dataDir);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "FILE", "SUBJECT", "ISSUER", "NOT AFTER", "DAYS LEFT"});
        for (CertificateEntry entry : entries) {
            long days = entry.daysLeft(now);
            rows.add(new String[] {entry.name(), dataDir.relativize(entry.file()).toString(), entry.subject(),
                    entry.issuer(), entry.notAfter().truncatedTo(ChronoUnit.SECONDS).toString(),
                    days < 0 ? "expired" : Long.toString(days)});
        }
        TextTable.print(out, rows);
        for (CertificateEntry entry : entries) {
            long days = entry.daysLeft(now);
            if (days < WARN_DAYS) {
                String what = days < 0 ? "has expired" : "expires in " + days + (days == 1 ? " day" : " days");
                String fix = entry.renewable() ? "platform certs renew " + entry.name() : "platform certs rotate-ca";
                out.println("WARNING: " + entry.name() + " " + what + " (" + entry.notAfter().truncatedTo(ChronoUnit.SECONDS)
                        + "); run: " + fix);
            }
        }
    }

    private void printRenewed(List<CertificateEntry> renewed) {
        for (CertificateEntry entry : renewed) {
            out.println("renewed " + entry.name() + " (" + entry.subject() + ") until "
                    + entry.notAfter().truncatedTo(ChronoUnit.SECONDS));
        }
    }
}
