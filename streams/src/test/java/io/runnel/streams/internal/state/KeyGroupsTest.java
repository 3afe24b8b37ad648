package io.runnel.streams.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys whose hash differs between JVMs are refused with the reason and the fix; stable ones pass. */
class KeyGroupsTest {
    enum Status { OK, FAILED }

    record Route(String service, int endpoint) {
    }

    record WithStatus(String service, Status status) {
    }

    record Outer(String name, WithStatus inner) {
    }

    record WithList(String name, List<String> tags, Object anything) {
    }

    record WithArray(String name, byte[] raw) {
    }

    static final class NoHashCode {
    }

    /** A record that holds its own type (a linked path). */
    record PathKey(String head, PathKey tail) {
    }

    record BadPath(Status status, BadPath tail) {
    }

    @Test
    void shouldAcceptKeysWithStableHashCodes() {
        for (Class<?> type : List.of(String.class, Long.class, Integer.class, Route.class, Status.class, WithList.class,
                PathKey.class)) {
            assertThatCode(() -> KeyGroups.checkStableHash(type)).as(type.getName()).doesNotThrowAnyException();
        }
    }

    @Test
    void shouldRefuseAnEnumInsideARecordNamingTheComponentAndTheFix() {
        assertThatThrownBy(() -> KeyGroups.checkStableHash(WithStatus.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WithStatus.status").hasMessageContaining("name()");
        assertThatThrownBy(() -> KeyGroups.checkStableHash(BadPath.class)).hasMessageContaining("BadPath.status");
        assertThatThrownBy(() -> KeyGroups.checkStableHash(Outer.class))
                .hasMessageContaining("Outer.inner.status");
    }

    @Test
    void shouldRefuseArraysAndIdentityHashCodes() {
        assertThatThrownBy(() -> KeyGroups.checkStableHash(byte[].class)).hasMessageContaining("arrays");
        assertThatThrownBy(() -> KeyGroups.checkStableHash(WithArray.class)).hasMessageContaining("WithArray.raw");
        assertThatThrownBy(() -> KeyGroups.checkStableHash(NoHashCode.class)).hasMessageContaining("no hashCode of their own");
    }

    @Test
    void shouldHashAnEnumByItsName() {
        assertThat(KeyGroups.hash(Status.FAILED)).isEqualTo("FAILED".hashCode());
        assertThat(KeyGroups.of(Status.FAILED)).isEqualTo(KeyGroups.of("FAILED"));
    }
}
