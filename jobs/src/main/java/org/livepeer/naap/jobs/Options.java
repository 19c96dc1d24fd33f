package org.livepeer.naap.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.TimeUtils;

/**
 * A small command-line parser: declared options with defaults and help, {@code --name value} or
 * {@code --name=value}, repeatable options, a prefix for pass-through properties ({@code
 * --catalog.type hadoop}), and positional arguments. Errors are {@link UsageException}s whose
 * message says what was wrong and what to do.
 */
public final class Options {
    /** A wrong command line: the message is meant for the user, as one line. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    private record Spec(
            String name, String defaultValue, String help, boolean flag, boolean repeat) {}

    private final String command;
    private final Map<String, Spec> specs = new LinkedHashMap<>();
    private final List<String> prefixes = new ArrayList<>();
    private final Map<String, String> prefixHelp = new LinkedHashMap<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private String positionalHelp;

    public Options(String command) {
        this.command = command;
    }

    public Options option(String name, String defaultValue, String help) {
        specs.put(name, new Spec(name, defaultValue, help, false, false));
        return this;
    }

    public Options repeated(String name, String defaultValue, String help) {
        specs.put(name, new Spec(name, defaultValue, help, false, true));
        return this;
    }

    public Options flag(String name, String help) {
        specs.put(name, new Spec(name, null, help, true, false));
        return this;
    }

    public Options prefix(String prefix, String help) {
        prefixes.add(prefix);
        prefixHelp.put(prefix, help);
        return this;
    }

    public Options positional(String help) {
        this.positionalHelp = help;
        return this;
    }

    /** Parses {@code args}; throws {@link UsageException} on anything it does not know. */
    public Options parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                if (positionalHelp == null) {
                    throw new UsageException(
                            "unexpected argument '" + arg + "'; run '" + command + " --help'");
                }
                positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("help")) {
                values.put("help", List.of("true"));
                continue;
            }
            Spec spec = specs.get(name);
            boolean prefixed = prefixes.stream().anyMatch(name::startsWith);
            if (spec == null && !prefixed) {
                throw new UsageException(
                        "unknown option --" + name + "; run '" + command + " --help' for the list");
            }
            if (spec != null && spec.flag) {
                values.computeIfAbsent(name, k -> new ArrayList<>())
                        .add(value == null ? "true" : value);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(
                            "option --" + name + " needs a value; run '" + command + " --help'");
                }
                value = args[++i];
            }
            List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
            if (spec != null && !spec.repeat && !list.isEmpty()) {
                throw new UsageException("option --" + name + " is given twice; give it once");
            }
            list.add(value);
        }
        return this;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public boolean flagSet(String name) {
        List<String> v = values.get(name);
        return v != null && !"false".equals(v.get(v.size() - 1));
    }

    /** The value given, else the declared default (which may be null). */
    public String get(String name) {
        List<String> v = values.get(name);
        if (v != null) {
            return v.get(v.size() - 1);
        }
        Spec spec = specs.get(name);
        return spec == null ? null : spec.defaultValue;
    }

    public List<String> getAll(String name) {
        List<String> v = values.get(name);
        if (v != null) {
            return v;
        }
        String d = get(name);
        return d == null ? List.of() : List.of(d);
    }

    public int getInt(String name) {
        String v = get(name);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    public Duration getDuration(String name) {
        String v = get(name);
        try {
            return TimeUtils.parseDuration(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    "--" + name + " must be a duration such as 10s, 5min or 1h, got '" + v + "'");
        }
    }

    /** Every {@code --<prefix>key value} given, as {@code key -> value}. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach(
                (name, v) -> {
                    if (name.startsWith(prefix)) {
                        out.put(name.substring(prefix.length()), v.get(v.size() - 1));
                    }
                });
        return out;
    }

    public List<String> positional() {
        return positional;
    }

    /** The help text: every option with its default. */
    public String help(String usage) {
        StringBuilder sb = new StringBuilder("usage: ").append(usage).append("\n\noptions:\n");
        for (Spec s : specs.values()) {
            String left = "  --" + s.name + (s.flag ? "" : " <value>");
            sb.append(String.format("%-34s %s", left, s.help));
            if (s.defaultValue != null) {
                sb.append(" (default: ").append(s.defaultValue).append(')');
            }
            if (s.repeat) {
                sb.append(" [repeatable]");
            }
            sb.append('\n');
        }
        prefixHelp.forEach(
                (p, h) -> sb.append(String.format("%-34s %s%n", "  --" + p + "<key> <value>", h)));
        sb.append(String.format("%-34s %s%n", "  --help", "show this help"));
        return sb.toString();
    }
}
