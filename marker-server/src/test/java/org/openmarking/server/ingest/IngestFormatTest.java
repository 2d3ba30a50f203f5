package org.openmarking.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The printed format: page codes, template checks, opaque ids. */
class IngestFormatTest {

    @Test
    void pageCodeRoundTripsAndRejectsForeignText() {
        PageCode c = new PageCode("MATH-2026-04", "B00017", 2);
        assertEquals("OM1|MATH-2026-04|B00017|2", c.text());
        assertEquals(Optional.of(c), PageCode.parse(c.text()));
        assertEquals(Optional.empty(), PageCode.parse("https://example.org"));
        assertEquals(Optional.empty(), PageCode.parse("OM1|MATH|B1|0"));
        assertEquals(Optional.empty(), PageCode.parse("OM1|MA TH|B1|1"));
        assertEquals(Optional.empty(), PageCode.parse(null));
    }

    @Test
    void sampleTemplateLoadsAndKeepsBoxesClearOfIdentity() {
        BookletTemplate t = BookletTemplate.sample();
        assertEquals(3, t.pageCount());
        for (BookletTemplate.PageLayout p : t.pages()) {
            for (BookletTemplate.Item i : p.items()) {
                for (RectMm id : p.identity()) {
                    assertTrue(!i.rect().intersects(id.grow(BookletTemplate.IDENTITY_CLEARANCE_MM)));
                }
            }
        }
    }

    @Test
    void templateWithAnAnswerBoxNearTheIdentityAreaIsRefused() {
        String json = new String(readSample(), StandardCharsets.UTF_8)
                .replaceFirst("\"yMm\" : 80", "\"yMm\" : 67").replaceFirst("\"yMm\": 80", "\"yMm\": 67");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(json));
        assertTrue(e.getMessage().contains("identity"), e.getMessage());
    }

    @Test
    void templateWithTwoMarkersSharingAnIdIsRefused() {
        String json = new String(readSample(), StandardCharsets.UTF_8).replaceFirst("\"id\": 1,", "\"id\": 0,");
        assertThrows(IllegalArgumentException.class, () -> read(json));
    }

    @Test
    void responseIdsAre128BitBase32() {
        assertEquals("", IngestPipeline.Base32.encode(new byte[0]));
        assertEquals("my", IngestPipeline.Base32.encode("f".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("mzxw6ytboi", IngestPipeline.Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII)));
        List<String> ids = List.of(new byte[16], new byte[16]).stream().map(b -> {
            IngestFixture.RANDOM.nextBytes(b);
            return IngestPipeline.Base32.encode(b);
        }).toList();
        ids.forEach(id -> assertTrue(id.matches("[a-z2-7]{26}"), id));
    }

    private static BookletTemplate read(String json) throws Exception {
        try {
            return BookletTemplate.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw e.getCause() instanceof IllegalArgumentException iae ? iae : e;
        }
    }

    private static byte[] readSample() {
        try (var in = BookletTemplate.class.getResourceAsStream("/ingest/templates/sample-exam.json")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
