package org.livepeer.naap.jobs;

import java.util.Arrays;
import org.livepeer.naap.jobs.Options.UsageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code ./naap} command: dispatches to its subcommands. */
public final class Naap {
    private static final Logger LOG = LoggerFactory.getLogger(Naap.class);
    private static final String HELP =
            String.join(
                    "\n",
                    "usage: ./naap <command> [options]   (./naap <command> --help for its options)",
                    "",
                    "commands:",
                    "  run       run the job locally: on a generated network (default), --samples,"
                            + " --input files, or --kafka",
                    "  generate  write a simulated network's events and its ground truth, to files"
                            + " or Kafka",
                    "  bench     measure the pipeline against the physical floor on this machine"
                            + " (--bridge: the Streamr-to-Kafka bridge)",
                    "  bridge    run the Streamr-to-Kafka bridge (./naap bridge --help)",
                    "  query     run Flink SQL over the Iceberg warehouse, e.g. ./naap query \"SELECT"
                            + " family, count(*) FROM naap.raw_events GROUP BY family\"",
                    "");

    private Naap() {}

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.print(HELP);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "run" -> LocalRun.main(rest);
                case "query" -> QueryCommand.main(rest);
                case "generate" -> GenerateCommand.main(rest);
                case "bench" -> BenchCommand.main(rest);
                case "bridge" -> org.livepeer.naap.bridge.BridgeMain.main(rest);
                default ->
                        throw new UsageException(
                                "unknown command '"
                                        + args[0]
                                        + "'; commands are run, generate, bench, bridge and query (./naap --help)");
            }
        } catch (UsageException e) {
            System.err.println("naap: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            LOG.error("{} failed", args[0], e);
            System.err.println("naap: " + args[0] + " failed: " + rootMessage(e));
            System.err.println(
                    "(the stack trace is in the log file, NAAP_LOG_FILE; NAAP_DEBUG=1 prints it here)");
            if (System.getenv("NAAP_DEBUG") != null) {
                e.printStackTrace();
            }
            System.exit(1);
        }
        System.exit(0);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
