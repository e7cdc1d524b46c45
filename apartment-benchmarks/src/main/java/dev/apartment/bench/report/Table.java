package dev.apartment.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * Turns a JMH JSON result file into Markdown: the peers side by side, the Apartment-only figures, and the tuning
 * targets of the issue with the measured ratio and a verdict.
 *
 * <pre>java -cp benchmarks.jar dev.apartment.bench.report.Table results.json &gt; results.md</pre>
 */
public final class Table {
    private Table() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Table results.json");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        System.out.print(markdown(Result.read(in), in.getFileName().toString()));
    }

    static String markdown(List<Result> results, String source) {
        StringBuilder b = new StringBuilder();
        int forks = results.isEmpty() ? 0 : results.get(0).forks;
        b.append("## Results: ").append(source).append(" (").append(results.size()).append(" results, ")
                .append(forks).append(" fork(s) each)\n\n");
        List<Panel> panels = Panel.of(results);

        boolean main = peerTable(b, panels, false, "benchmark");
        if (panels.stream().anyMatch(p -> p.hosted)) {
            if (main) {
                b.append('\n');
            }
            peerTable(b, panels, true, "hosted dispatcher vs its toolkit");
        }

        boolean header = false;
        for (Panel p : panels) {
            if (p.byPeer) {
                continue;
            }
            if (!header) {
                b.append("\n| Apartment only | score | unit |\n|---|---:|---|\n");
                header = true;
            }
            for (Panel.Bar bar : p.bars) {
                b.append("| ").append(p.title).append(": ").append(bar.label).append(" | ").append(cell(bar))
                        .append(" | ").append(p.unit).append(" |\n");
            }
        }

        b.append("\n### Targets\n\nThroughput ratios are ratios of the medians of the forks (each fork: the mean of "
                + "its measured iterations), as the issue asks; latencies use JMH's score and percentiles.\n\n"
                + "| target | measured | goal | verdict |\n|---|---:|---|---|\n");
        for (Target t : targets()) {
            double v = t.measure(results);
            String verdict = Double.isNaN(v) ? "not measured" : t.ok.test(v) ? "met" : "**missed**";
            b.append("| ").append(t.name).append(" | ").append(Double.isNaN(v) ? "" : ratio(v)).append(" | ")
                    .append(t.goal).append(" | ").append(verdict).append(" |\n");
        }
        b.append("\nAllocation count per post is not measured by JMH (bytes only): ≤ 48 bytes per post means one "
                + "operation object at most.\n");
        return b.toString();
    }

    /**
     * The peers side by side: the main table ({@code hosted} false) or the one of the hosted dispatchers and their
     * toolkits, each with a column for every peer its panels show, in the canonical order. False if it has no rows.
     */
    private static boolean peerTable(StringBuilder b, List<Panel> panels, boolean hosted, String firstColumn) {
        List<Panel> rows = new ArrayList<>();
        for (Panel p : panels) {
            if (p.byPeer && p.hosted == hosted) {
                rows.add(p);
            }
        }
        if (rows.isEmpty()) {
            return false;
        }
        List<String> peers = new ArrayList<>();
        for (String peer : Result.PEER_ORDER) {
            if (rows.stream().anyMatch(p -> p.bars.stream().anyMatch(x -> x.peer.equals(peer)))) {
                peers.add(peer);
            }
        }
        for (Panel p : rows) { // peers outside the canonical order, after it
            for (Panel.Bar bar : p.bars) {
                if (!peers.contains(bar.peer)) {
                    peers.add(bar.peer);
                }
            }
        }
        b.append("| ").append(firstColumn).append(" | unit |");
        for (String peer : peers) {
            b.append(' ').append(peer).append(" |");
        }
        b.append("\n|---|---|");
        b.append("---:|".repeat(peers.size()));
        b.append('\n');
        for (Panel p : rows) {
            b.append("| ").append(p.title).append(" | ").append(p.unit).append(" |");
            for (String peer : peers) {
                Panel.Bar bar = p.bars.stream().filter(x -> x.peer.equals(peer)).findFirst().orElse(null);
                b.append(' ').append(bar == null ? "" : cell(bar)).append(" |");
            }
            b.append('\n');
        }
        return true;
    }

    private static String cell(Panel.Bar bar) {
        String s = Panel.format(bar.value);
        if (!Double.isNaN(bar.error) && bar.error > 0) {
            s += " ± " + Panel.format(bar.error);
        }
        return s;
    }

    private static String ratio(double v) {
        return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.2f", v);
    }

    /** A target of the issue: a figure computed from the results and what it must satisfy. */
    static final class Target {
        final String name;
        final String goal;
        final DoublePredicate ok;
        final Measure measure;

        interface Measure {
            double of(List<Result> rs);
        }

        Target(String name, String goal, DoublePredicate ok, Measure measure) {
            this.name = name;
            this.goal = goal;
            this.ok = ok;
            this.measure = measure;
        }

        double measure(List<Result> rs) {
            return measure.of(rs);
        }
    }

    static List<Target> targets() {
        List<Target> t = new ArrayList<>();
        t.add(new Target("post, 1 producer: apartment / netty", "≥ 5", v -> v >= 5,
                rs -> score(rs, "PostThroughput", "oneProducer", "apartment")
                        / score(rs, "PostThroughput", "oneProducer", "netty")));
        t.add(new Target("post, 1 producer: apartment / floor", "≥ 0.3", v -> v >= 0.3,
                rs -> score(rs, "PostThroughput", "oneProducer", "apartment")
                        / score(rs, "PostThroughput", "oneProducer", "floor")));
        t.add(new Target("post, 2 producers: apartment / netty", "≥ 3", v -> v >= 3,
                rs -> score(rs, "PostThroughput", "twoProducers", "apartment")
                        / score(rs, "PostThroughput", "twoProducers", "netty")));
        t.add(new Target("round trip mean: apartment / netty", "≤ 0.5", v -> v <= 0.5,
                rs -> score(rs, "RoundTrip", "postAndWait", "apartment")
                        / score(rs, "RoundTrip", "postAndWait", "netty")));
        t.add(new Target("round trip p99: apartment / netty", "≤ 1", v -> v <= 1,
                rs -> p99(rs, "RoundTrip", "postAndWait", "apartment")
                        / p99(rs, "RoundTrip", "postAndWait", "netty")));
        t.add(new Target("mixed priorities: 10 levels / NORMAL only", "≥ 0.8", v -> v >= 0.8,
                rs -> score(rs, "MixedPriority", "allLevels", "apartment")
                        / score(rs, "MixedPriority", "normalOnly", "apartment")));
        t.add(new Target("self-posts: apartment / floor's 1-producer post", "≥ 0.5", v -> v >= 0.5,
                rs -> score(rs, "SelfPost", "ownerPostsBatch", "apartment")
                        / score(rs, "PostThroughput", "oneProducer", "floor")));
        t.add(new Target("bytes allocated per post (apartment, 1 producer, all threads)", "≤ 48 (+0.5 for JMH's own noise)", v -> v <= 48.5,
                rs -> alloc(rs, "PostThroughput", "oneProducer", "apartment")));
        t.add(new Target("timers: ns per start+stop at 100k / at 1k", "< 10 (log n growth ≈ 1.7 plus cache misses; "
                + "O(n) per timer ≈ 100)", v -> v < 10,
                rs -> score(rs, "Timers", "startStop100k", "apartment")
                        / score(rs, "Timers", "startStop1k", "apartment")));
        t.add(new Target("hosted post, 1 producer: swingPump / awt", "≥ 10", v -> v >= 10,
                rs -> score(rs, "HostedThroughput", "oneProducer", "swingPump")
                        / score(rs, "HostedThroughput", "oneProducer", "awt")));
        t.add(new Target("hosted post, 1 producer: fxPump / javafx", "≥ 10", v -> v >= 10,
                rs -> score(rs, "HostedThroughput", "oneProducer", "fxPump")
                        / score(rs, "HostedThroughput", "oneProducer", "javafx")));
        t.add(new Target("hosted round trip mean: swingPump / awt", "≤ 1", v -> v <= 1,
                rs -> score(rs, "HostedRoundTrip", "postAndWait", "swingPump")
                        / score(rs, "HostedRoundTrip", "postAndWait", "awt")));
        t.add(new Target("hosted round trip mean: fxPump / javafx", "≤ 1", v -> v <= 1,
                rs -> score(rs, "HostedRoundTrip", "postAndWait", "fxPump")
                        / score(rs, "HostedRoundTrip", "postAndWait", "javafx")));
        return t;
    }

    static Result find(List<Result> rs, String cls, String method, String peer) {
        for (Result r : rs) {
            if (r.className.equals(cls) && r.method.equals(method) && r.peer.equals(peer)) {
                return r;
            }
        }
        return null;
    }

    /** The median of the forks (the measure), or JMH's score where there are no per-fork data. */
    private static double score(List<Result> rs, String cls, String method, String peer) {
        Result r = find(rs, cls, method, peer);
        return r == null ? Double.NaN : Double.isNaN(r.forkMedian) ? r.score : r.forkMedian;
    }

    private static double p99(List<Result> rs, String cls, String method, String peer) {
        Result r = find(rs, cls, method, peer);
        return r == null ? Double.NaN : r.percentile(99.0);
    }

    private static double alloc(List<Result> rs, String cls, String method, String peer) {
        Result r = find(rs, cls, method, peer);
        return r == null ? Double.NaN : r.allocPerOp();
    }
}
