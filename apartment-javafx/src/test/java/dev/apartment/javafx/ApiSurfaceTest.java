package dev.apartment.javafx;

import dev.apartment.apicheck.ApiSurface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The public types of module dev.apartment.javafx against its reviewed lists in src/test/resources/api-surface (see
 * {@link ApiSurface}): a new or removed API type, a new public type of a non-exported package, or an API member that
 * mentions a type callers cannot name fails here.
 */
@Timeout(30)
class ApiSurfaceTest {

    @Test
    void publicTypesAreTheReviewedOnes() {
        ApiSurface.of("dev.apartment.javafx", FxPump.class).assertReviewed();
    }
}
