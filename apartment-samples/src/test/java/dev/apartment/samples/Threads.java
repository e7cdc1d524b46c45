package dev.apartment.samples;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Finds threads a sample should have ended. */
final class Threads {
    private Threads() {
    }

    static List<String> alive(String... names) {
        Set<String> wanted = Set.of(names);
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && wanted.contains(t.getName()))
                .map(Thread::getName)
                .collect(Collectors.toList());
    }
}
