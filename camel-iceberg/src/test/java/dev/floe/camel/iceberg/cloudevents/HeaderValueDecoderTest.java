package dev.floe.camel.iceberg.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeaderValueDecoderTest {

    @Test
    void percentDecodesUtf8() {
        assertThat(HeaderValueDecoder.decode("Euro%20%E2%82%AC%20%F0%9F%98%80")).isEqualTo("Euro € 😀");
        // unnecessary encoding must be accepted
        assertThat(HeaderValueDecoder.decode("%41%42c")).isEqualTo("ABc");
        // '+' is not a space in this encoding
        assertThat(HeaderValueDecoder.decode("a+b")).isEqualTo("a+b");
    }

    @Test
    void unquotesOlderQuotedStrings() {
        assertThat(HeaderValueDecoder.decode("\"a \\\"quoted\\\" value\"")).isEqualTo("a \"quoted\" value");
        assertThat(HeaderValueDecoder.decode("\"100%25\"")).isEqualTo("100%");
    }

    @Test
    void rejectsInvalidUtf8AndOverlongForms() {
        assertThatThrownBy(() -> HeaderValueDecoder.decode("%C0%A0")).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> HeaderValueDecoder.decode("%FF")).hasMessageContaining("UTF-8");
    }

    @Test
    void rejectsMalformedEscapes() {
        assertThatThrownBy(() -> HeaderValueDecoder.decode("abc%2")).hasMessageContaining("truncated");
        assertThatThrownBy(() -> HeaderValueDecoder.decode("%zz")).hasMessageContaining("invalid");
        assertThatThrownBy(() -> HeaderValueDecoder.decode("\"a\"b\"")).hasMessageContaining("double quote");
    }
}
