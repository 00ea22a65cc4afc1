package io.platform.server.identity;

import io.platform.server.TextTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * {@code platform users add|passwd|remove|list}: the built-in provider's local users, in the data
 * dir's {@code identity.db}. Works while the platform runs: the provider reads the table at every
 * sign-in and refresh.
 */
public final class UsersCommand {

    static final int MIN_PASSWORD_LENGTH = 8;
    private static final String PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int GENERATED_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Thrown for wrong usage; the message says what to type instead. */
    public static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    private final PrintStream out;
    private final InputStream in;
    private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    public UsersCommand(PrintStream out, InputStream in) {
        this.out = out;
        this.in = in;
    }

    /** Runs one subcommand; {@code defaultDataDir} applies unless {@code --data-dir} is given. */
    public int run(List<String> args, Path defaultDataDir) {
        if (args.isEmpty()) {
            throw new UsageError("users needs a subcommand: add, passwd, remove or list");
        }
        Path dataDir = defaultDataDir;
        List<String> groups = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean passwordStdin = false;
        String email = null;
        List<String> rest = args.subList(1, args.size());
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            String option = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inline = option.equals(arg) ? null : arg.substring(arg.indexOf('=') + 1);
            switch (option) {
                case "--data-dir" -> {
                    dataDir = Path.of(inline != null ? inline : value(rest, ++i, option));
                }
                case "--group", "-g" -> groups.add(inline != null ? inline : value(rest, ++i, option));
                case "--email" -> email = inline != null ? inline : value(rest, ++i, option);
                case "--password-stdin" -> passwordStdin = true;
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageError("unknown option '" + arg + "' for users " + args.getFirst());
                    }
                    names.add(arg);
                }
            }
        }
        String subcommand = args.getFirst();
        if (!subcommand.equals("add") && (!groups.isEmpty() || email != null)) {
            throw new UsageError("--group and --email belong to users add");
        }
        try {
            LocalUsers users = LocalUsers.open(dataDir);
            return switch (subcommand) {
                case "add" -> add(users, single(names, "add"), groups, email, passwordStdin);
                case "passwd" -> passwd(users, single(names, "passwd"), passwordStdin);
                case "remove" -> remove(users, single(names, "remove"));
                case "list" -> {
                    if (!names.isEmpty() || passwordStdin) {
                        throw new UsageError("users list takes no arguments");
                    }
                    yield list(users);
                }
                default -> throw new UsageError("unknown users subcommand '" + subcommand + "'; use add, passwd, remove or list");
            };
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    private int add(LocalUsers users, String name, List<String> groups, @Nullable String email, boolean passwordStdin) {
        LocalUsers.checkName(name);
        groups.forEach(LocalUsers::checkGroup);
        String password = passwordStdin ? readPassword() : generatePassword();
        users.add(name, passwords.encode(password), email, groups);
        out.println("added user " + name + (groups.isEmpty() ? "" : " in groups " + String.join(", ", groups)));
        if (!passwordStdin) {
            out.println("password: " + password);
        }
        return 0;
    }

    private int passwd(LocalUsers users, String name, boolean passwordStdin) {
        String password = passwordStdin ? readPassword() : generatePassword();
        if (!users.setPassword(name, passwords.encode(password))) {
            throw new UsageError("no user " + name + "; add it with: platform users add " + name);
        }
        out.println("changed the password of " + name);
        if (!passwordStdin) {
            out.println("password: " + password);
        }
        return 0;
    }

    private int remove(LocalUsers users, String name) {
        if (!users.remove(name)) {
            throw new UsageError("no user " + name);
        }
        out.println("removed user " + name + " (its tokens stop renewing; id_tokens already issued stay valid until they expire)");
        return 0;
    }

    private int list(LocalUsers users) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "GROUPS", "EMAIL"});
        for (LocalUser user : users.list()) {
            rows.add(new String[] {user.name(), user.groups().isEmpty() ? "<none>" : String.join(",", user.groups()),
                    user.email() == null ? "<none>" : user.email()});
        }
        TextTable.print(out, rows);
        return 0;
    }

    private String readPassword() {
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            String password = line == null ? "" : line.strip();
            if (password.length() < MIN_PASSWORD_LENGTH) {
                throw new UsageError("the password on stdin must have at least " + MIN_PASSWORD_LENGTH + " characters");
            }
            return password;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the password from stdin: " + e.getMessage(), e);
        }
    }

    static String generatePassword() {
        StringBuilder password = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    private static String single(List<String> names, String subcommand) {
        if (names.size() != 1) {
            throw new UsageError("users " + subcommand + " takes exactly one user NAME");
        }
        return names.getFirst();
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size() || args.get(index).startsWith("--")) {
            throw new UsageError(option + " needs a value");
        }
        return args.get(index);
    }
}
