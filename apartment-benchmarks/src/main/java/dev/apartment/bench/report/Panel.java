package dev.apartment.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One comparison: a titled set of bars in one unit, e.g. "Post throughput, 1 producer" with one bar per peer. The
 * chart draws one panel per comparison; the table prints one row per comparison.
 */
final class Panel {
    /** The order of the benchmark classes in tables and charts; unknown classes come after, in file order. */
    static final List<String> CLASS_ORDER =
            List.of("PostThroughput", "SelfPost", "RoundTrip", "Invoke", "HostedThroughput", "HostedRoundTrip",
                    "MixedPriority", "Timers", "StallWatchdog", "FlightRecorder");

    /**
     * The benchmark classes of the dispatchers hosted on a toolkit's thread against the toolkit's own post: their
     * panels go into a table of their own, with a column per hosted pair, and leave the main table as it was.
     */
    static final List<String> HOSTED_CLASSES = List.of("HostedThroughput", "HostedRoundTrip");

    /** The order of the bars of the Apartment-only panels; unknown methods come after, in file order. */
    static final List<String> METHOD_ORDER =
            List.of("allLevels", "normalOnly", "startStop1k", "startStop10k", "startStop100k", "tick", "watchdogOff",
                    "watchdogOn");

    private static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry("PostThroughput.oneProducer", "Post throughput, 1 producer"),
            Map.entry("PostThroughput.twoProducers", "Post throughput, 2 producers"),
            Map.entry("SelfPost.ownerPostsBatch", "Posts from the loop thread to itself"),
            Map.entry("RoundTrip.postAndWait", "Round trip: post one task, wait until it ran"),
            Map.entry("Invoke.invoke", "Synchronous invoke from a foreign thread"),
            Map.entry("MixedPriority", "Apartment: 10 priority levels vs NORMAL only"),
            Map.entry("Timers", "Apartment: DispatcherTimer start+stop (per timer) and tick"),
            Map.entry("StallWatchdog", "Apartment: self-posts with the stall watchdog off and on"),
            Map.entry("FlightRecorder",
                    "Apartment: self-posts without JFR, with a recording at the defaults, recording all"),
            Map.entry("HostedThroughput.oneProducer", "Hosted dispatchers: post throughput, 1 producer"),
            Map.entry("HostedRoundTrip.postAndWait", "Hosted dispatchers: round trip, post one task and wait"));

    final String title;
    final String unit;
    final boolean higherIsBetter;
    /** True if the bars are peers (colored by peer); false if they are methods of one peer. */
    final boolean byPeer;
    /** True for the panels of {@link #HOSTED_CLASSES}: the hosted dispatchers against their toolkits. */
    final boolean hosted;
    final List<Bar> bars = new ArrayList<>();

    static final class Bar {
        final String label;
        final String peer;
        final double value;
        final double error;

        Bar(String label, String peer, double value, double error) {
            this.label = label;
            this.peer = peer;
            this.value = value;
            this.error = error;
        }
    }

    private Panel(String title, String unit, boolean higherIsBetter, boolean byPeer, boolean hosted) {
        this.title = title;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.byPeer = byPeer;
        this.hosted = hosted;
    }

    /** The panels for a result file, in a fixed order. */
    static List<Panel> of(List<Result> results) {
        Map<String, List<Result>> byClass = new LinkedHashMap<>();
        for (String c : CLASS_ORDER) {
            byClass.put(c, new ArrayList<>());
        }
        for (Result r : results) {
            byClass.computeIfAbsent(r.className, k -> new ArrayList<>()).add(r);
        }
        List<Panel> panels = new ArrayList<>();
        for (Map.Entry<String, List<Result>> e : byClass.entrySet()) {
            List<Result> rs = e.getValue();
            if (rs.isEmpty()) {
                continue;
            }
            long peers = rs.stream().map(r -> r.peer).distinct().count();
            boolean onePeerByDesign = e.getKey().equals("MixedPriority") || e.getKey().equals("Timers")
                    || e.getKey().equals("StallWatchdog") || e.getKey().equals("FlightRecorder");
            if (onePeerByDesign || (!CLASS_ORDER.contains(e.getKey()) && peers <= 1)) {
                panels.addAll(methodPanels(e.getKey(), rs));
            } else {
                panels.addAll(peerPanels(rs));
            }
        }
        return panels;
    }

    /** One panel per method (and parameter set), one bar per peer. */
    private static List<Panel> peerPanels(List<Result> rs) {
        Map<String, List<Result>> byKey = new LinkedHashMap<>();
        for (Result r : rs) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        List<Panel> out = new ArrayList<>();
        for (Map.Entry<String, List<Result>> e : byKey.entrySet()) {
            List<Result> group = new ArrayList<>(e.getValue());
            group.sort(Comparator.comparingInt(r -> Result.peerRank(r.peer)));
            Result first = group.get(0);
            String title = TITLES.getOrDefault(first.className + "." + first.method, e.getKey());
            if (!first.otherParams.isEmpty()) {
                title += " " + first.otherParams;
            }
            boolean higher = isHigherBetter(first.mode);
            boolean hosted = HOSTED_CLASSES.contains(first.className);
            if ("sample".equals(first.mode)) {
                Panel mean = new Panel(title + " - mean", unitText(first.unit, false), false, true, hosted);
                Panel p50 = new Panel(title + " - p50", unitText(first.unit, false), false, true, hosted);
                Panel p99 = new Panel(title + " - p99", unitText(first.unit, false), false, true, hosted);
                for (Result r : group) {
                    mean.bars.add(new Bar(r.peer, r.peer, r.score, r.error));
                    p50.bars.add(new Bar(r.peer, r.peer, r.percentile(50.0), Double.NaN));
                    p99.bars.add(new Bar(r.peer, r.peer, r.percentile(99.0), Double.NaN));
                }
                out.add(mean);
                out.add(p50);
                out.add(p99);
            } else {
                Panel p = new Panel(title, unitText(first.unit, higher), higher, true, hosted);
                for (Result r : group) {
                    p.bars.add(new Bar(r.peer, r.peer, r.score, r.error));
                }
                out.add(p);
            }
            if (higher && group.stream().anyMatch(r -> !Double.isNaN(r.allocPerOp()))) {
                Panel a = new Panel(title + " - allocation", "bytes per post, all threads (-prof gc); lower is better",
                        false, true, hosted);
                for (Result r : group) {
                    double[] v = r.secondary.get("gc.alloc.rate.norm");
                    if (v != null) {
                        a.bars.add(new Bar(r.peer, r.peer, v[0], v[1]));
                    }
                }
                out.add(a);
            }
        }
        return out;
    }

    /** One panel per class: one bar per method (and parameter set) of its single peer. */
    private static List<Panel> methodPanels(String className, List<Result> rs) {
        Result first = rs.get(0);
        boolean higher = isHigherBetter(first.mode);
        String title = TITLES.getOrDefault(className, className + (first.peer.isEmpty() ? "" : " (" + first.peer + ")"));
        Panel p = new Panel(title, unitText(first.unit, higher), higher, false, false);
        List<Result> sorted = new ArrayList<>(rs);
        sorted.sort(Comparator.comparingInt(r -> {
            int i = METHOD_ORDER.indexOf(r.method);
            return i < 0 ? METHOD_ORDER.size() : i;
        }));
        boolean oneMethod = rs.stream().map(r -> r.method).distinct().count() == 1;
        for (Result r : sorted) {
            // one method with parameters: the bars differ by their parameter values only, which fit under a bar
            String label = oneMethod && !r.otherParams.isEmpty()
                    ? String.join(" ", r.otherParams.values())
                    : r.method + (r.otherParams.isEmpty() ? "" : " " + r.otherParams);
            p.bars.add(new Bar(label, r.peer, r.score, r.error));
        }
        return List.of(p);
    }

    static boolean isHigherBetter(String mode) {
        return "thrpt".equals(mode);
    }

    static String unitText(String unit, boolean higher) {
        String u;
        switch (unit) {
            case "ops/us":
                u = "per µs (= millions per second)";
                break;
            case "ns/op":
                u = "ns";
                break;
            case "us/op":
                u = "µs";
                break;
            default:
                u = unit;
        }
        return u + (higher ? "; higher is better" : "; lower is better");
    }

    /** Three significant digits, thousands separated: 0.209, 12.3, 6,690. */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
