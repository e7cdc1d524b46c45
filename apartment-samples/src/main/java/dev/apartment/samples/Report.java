package dev.apartment.samples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tour's printed report: sections, wrapped prose and aligned facts, all plain ASCII so that it reads the same
 * in any terminal, log file or locale.
 */
final class Report {
    private static final int WIDTH = 100;
    private static final String PROSE = "   ";
    private static final String FACT = "     ";
    private static final int KEY_WIDTH = 32;

    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    void header(String title, String subtitle) {
        out.println(title);
        out.println("=".repeat(title.length()));
        wrap("", subtitle);
    }

    void section(int number, String title) {
        out.println();
        String heading = number + ". " + title;
        out.println(heading);
        out.println("-".repeat(heading.length()));
    }

    void paragraph(String text) {
        wrap(PROSE, text);
    }

    /** One aligned {@code key  value} line. */
    void fact(String key, Object value) {
        String padded = key.length() >= KEY_WIDTH ? key + " " : String.format(Locale.ROOT, "%-" + KEY_WIDTH + "s", key);
        out.println(FACT + padded + value);
    }

    /**
     * A fact whose value may be long or span several lines (an exception's message): each line of {@code value} is
     * wrapped to the report's width in the value column, continuation lines indented a little further.
     */
    void factLines(String key, String value) {
        String column = " ".repeat(FACT.length() + KEY_WIDTH);
        boolean first = true;
        for (String text : value.split("\\R")) {
            for (String line : lines(column, column + "  ", text.strip())) {
                if (first) {
                    fact(key, line.substring(column.length()));
                    first = false;
                } else {
                    out.println(line);
                }
            }
        }
    }

    /** A pre-formatted line at the facts' indentation (table rows). */
    void row(String text) {
        out.println(FACT + text);
    }

    /** What the numbers above show. */
    void conclusion(String text) {
        wrap(PROSE + "=> ", PROSE + "   ", text);
    }

    void blank() {
        out.println();
    }

    void flush() {
        out.flush();
    }

    // --- formatting -----------------------------------------------------------------------------------------

    /** Nanoseconds as milliseconds with three decimals: sub-millisecond latencies are the interesting ones. */
    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1_000_000.0);
    }

    /** Nanoseconds as whole milliseconds, for spans of a second or so. */
    static String wholeMs(long nanos) {
        return String.format(Locale.ROOT, "%,d ms", Math.round(nanos / 1_000_000.0));
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    // --- wrapping -------------------------------------------------------------------------------------------

    private void wrap(String indent, String text) {
        wrap(indent, indent, text);
    }

    private void wrap(String first, String rest, String text) {
        for (String line : lines(first, rest, text)) {
            out.println(line);
        }
    }

    static List<String> lines(String first, String rest, String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        int start = first.length();
        for (String word : text.split(" +")) {
            if (line.length() > start && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(rest);
                start = rest.length();
            }
            if (line.length() > start) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
