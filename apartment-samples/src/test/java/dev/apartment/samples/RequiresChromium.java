package dev.apartment.samples;

import dev.apartment.webview.internal.BrowserLocator; // not exported, but the samples' tests run on the class path

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that needs a real Chromium. Where none is installed the class is skipped with the package to
 * install, except in CI (the {@code CI} environment variable is set), where it fails with that instruction: CI
 * must never be green for lack of a browser. The one place that decides; test classes carry only the annotation.
 *
 * <p>A copy of {@code apartment-webview}'s own {@code RequiresChromium} (same rule, same message), rather than a
 * dependency on that module's test jar, which it does not build.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresChromium.Condition.class)
public @interface RequiresChromium {

    /** The extension behind the annotation. */
    final class Condition implements ExecutionCondition {
        /** Whether a Chromium is found with this process's settings: for tests that check either outcome. */
        static boolean found() {
            return BrowserLocator.locateOrNull() != null;
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (BrowserLocator.locateOrNull() != null) {
                return ConditionEvaluationResult.enabled("Chromium found");
            }
            String message = "these tests need Chromium and none was found: " + BrowserLocator.INSTALL_HINT;
            String ci = System.getenv("CI");
            if (ci != null && !ci.isEmpty() && !"false".equalsIgnoreCase(ci)) {
                throw new IllegalStateException(message + " (CI is set, so this is a failure, not a skip)");
            }
            return ConditionEvaluationResult.disabled(message);
        }
    }
}
