package dev.apartment.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One row of a JMH JSON result file: a benchmark method with one set of parameters. */
final class Result {
    /** The canonical peer order of tables and charts. */
    static final List<String> PEER_ORDER =
            List.of("floor", "floorAlloc", "apartment", "netty", "executor", "awt", "swingPump", "javafx", "fxPump");

    final String benchmark;   // dev.apartment.bench.PostThroughput.oneProducer
    final String className;   // PostThroughput
    final String method;      // oneProducer
    final String mode;        // thrpt, avgt, sample, ss
    final int threads;
    final int forks;
    final String jdk;
    final String peer;        // params.peer, or "" if none
    final Map<String, String> otherParams;
    final double score;
    final double error;
    final String unit;
    final Map<String, Double> percentiles;
    final Map<String, double[]> secondary;  // name -> {score, error}
    final Map<String, String> secondaryUnits;
    /** The median over forks of each fork's mean iteration score (NaN without raw data, e.g. in sample mode). */
    final double forkMedian;

    private Result(Map<String, Object> m) {
        benchmark = (String) m.get("benchmark");
        int dot = benchmark.lastIndexOf('.');
        method = benchmark.substring(dot + 1);
        String cls = benchmark.substring(0, dot);
        className = cls.substring(cls.lastIndexOf('.') + 1);
        mode = (String) m.get("mode");
        threads = intOf(m.get("threads"));
        forks = intOf(m.get("forks"));
        Object jdkVersion = m.get("jdkVersion");
        jdk = jdkVersion == null ? "" : String.valueOf(jdkVersion);
        Map<String, String> params = new LinkedHashMap<>();
        Object p = m.get("params");
        if (p instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) p).entrySet()) {
                params.put((String) e.getKey(), String.valueOf(e.getValue()));
            }
        }
        String pe = params.remove("peer");
        peer = pe == null ? "" : pe;
        otherParams = Collections.unmodifiableMap(params);
        Map<?, ?> primary = (Map<?, ?>) m.get("primaryMetric");
        score = num(primary.get("score"));
        error = num(primary.get("scoreError"));
        unit = (String) primary.get("scoreUnit");
        Map<String, Double> pct = new LinkedHashMap<>();
        Object pp = primary.get("scorePercentiles");
        if (pp instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) pp).entrySet()) {
                pct.put((String) e.getKey(), num(e.getValue()));
            }
        }
        percentiles = pct;
        forkMedian = forkMedian(primary.get("rawData"));
        Map<String, double[]> sec = new LinkedHashMap<>();
        Map<String, String> secUnits = new LinkedHashMap<>();
        Object sm = m.get("secondaryMetrics");
        if (sm instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) sm).entrySet()) {
                Map<?, ?> v = (Map<?, ?>) e.getValue();
                sec.put((String) e.getKey(), new double[] {num(v.get("score")), num(v.get("scoreError"))});
                secUnits.put((String) e.getKey(), (String) v.get("scoreUnit"));
            }
        }
        secondary = sec;
        secondaryUnits = secUnits;
    }

    static List<Result> read(Path json) throws IOException {
        Object root = Json.parse(Files.readString(json));
        if (!(root instanceof List)) {
            throw new IllegalArgumentException(json + ": not a JMH JSON result file (expected an array)");
        }
        List<Result> out = new ArrayList<>();
        for (Object o : (List<?>) root) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            out.add(new Result(m));
        }
        return out;
    }

    /** The percentile {@code p} (e.g. 50.0, 99.0), or NaN. */
    double percentile(double p) {
        for (Map.Entry<String, Double> e : percentiles.entrySet()) {
            if (Double.parseDouble(e.getKey()) == p) {
                return e.getValue();
            }
        }
        return Double.NaN;
    }

    private static double forkMedian(Object rawData) {
        if (!(rawData instanceof List) || ((List<?>) rawData).isEmpty()) {
            return Double.NaN;
        }
        List<Double> means = new ArrayList<>();
        for (Object fork : (List<?>) rawData) {
            if (!(fork instanceof List) || ((List<?>) fork).isEmpty()) {
                return Double.NaN;
            }
            double sum = 0;
            for (Object v : (List<?>) fork) {
                sum += num(v);
            }
            means.add(sum / ((List<?>) fork).size());
        }
        Collections.sort(means);
        int n = means.size();
        return n % 2 == 1 ? means.get(n / 2) : (means.get(n / 2 - 1) + means.get(n / 2)) / 2;
    }

    /** Bytes allocated per operation (all threads) from {@code -prof gc}, or NaN. */
    double allocPerOp() {
        double[] v = secondary.get("gc.alloc.rate.norm");
        return v == null ? Double.NaN : v[0];
    }

    /** {@code Class.method} plus the parameters other than the peer, e.g. {@code Timers.startStop1k}. */
    String key() {
        StringBuilder b = new StringBuilder(className).append('.').append(method);
        if (!otherParams.isEmpty()) {
            b.append(' ').append(otherParams);
        }
        return b.toString();
    }

    /** The peers of {@link #PEER_ORDER} that occur in {@code rs}, in that order: the columns of a table. */
    static List<String> peersIn(List<Result> rs) {
        List<String> peers = new ArrayList<>();
        for (String peer : PEER_ORDER) {
            if (rs.stream().anyMatch(r -> r.peer.equals(peer))) {
                peers.add(peer);
            }
        }
        return peers;
    }

    static int peerRank(String peer) {
        int i = PEER_ORDER.indexOf(peer);
        return i < 0 ? PEER_ORDER.size() : i;
    }

    private static int intOf(Object o) {
        return o instanceof Number ? ((Number) o).intValue() : 0;
    }

    private static double num(Object o) {
        if (o instanceof Number) {
            return ((Number) o).doubleValue();
        }
        if (o instanceof String) {
            try {
                return Double.parseDouble((String) o);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
