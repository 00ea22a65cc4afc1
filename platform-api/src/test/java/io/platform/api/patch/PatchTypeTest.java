package io.platform.api.patch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PatchTypeTest {

    @Test
    void contentTypesNameThePatchTypes() {
        assertThat(PatchType.fromContentType("application/json-patch+json")).contains(PatchType.JSON);
        assertThat(PatchType.fromContentType("application/merge-patch+json")).contains(PatchType.MERGE);
        assertThat(PatchType.fromContentType("application/strategic-merge-patch+json; charset=utf-8"))
                .contains(PatchType.STRATEGIC_MERGE);
        assertThat(PatchType.fromContentType("Application/Merge-Patch+JSON")).contains(PatchType.MERGE);
    }

    @Test
    void otherContentTypesAreNotPatchTypes() {
        assertThat(PatchType.fromContentType("application/json")).isEmpty();
        assertThat(PatchType.fromContentType("application/apply-patch+yaml")).isEmpty();
        assertThat(PatchType.fromContentType("")).isEmpty();
    }
}
