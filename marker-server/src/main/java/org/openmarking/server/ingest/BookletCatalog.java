package org.openmarking.server.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What ingest must know before it accepts a page: each exam's booklet template and
 * the booklets issued for it, each with the work number of the candidate it was
 * issued to. The server backs this with its tables ({@code PgIngestStore}: one layout
 * per subject); the offline CLI and tests use {@link #of} or {@link #load} (one layout
 * per exam).
 */
public interface BookletCatalog {
    /** True if the exam has booklet layouts at all (pages of other exams are {@code UNKNOWN_EXAM}). */
    boolean knowsExam(String examId);

    /** The booklet as issued: its layout and its candidate's work number; empty if never issued. */
    Optional<Issued> issued(String examId, String bookletId);

    /** An issued booklet: the layout it was printed with and the work number of its candidate. */
    record Issued(BookletTemplate template, String workNumber) {
    }

    /** Issued booklets of one exam, as written in {@code booklets.json}. */
    record Issue(String examId, List<Booklet> booklets) {
    }

    /** One issued booklet. */
    record Booklet(String bookletId, String workNumber) {
    }

    /** An in-memory catalog. */
    static BookletCatalog of(List<BookletTemplate> templates, List<Issue> issues) {
        Map<String, BookletTemplate> byExam = new HashMap<>();
        templates.forEach(t -> byExam.put(t.examId(), t));
        Map<String, String> work = new HashMap<>();
        for (Issue i : issues) {
            i.booklets().forEach(b -> work.put(i.examId() + "|" + b.bookletId(), b.workNumber()));
        }
        return new BookletCatalog() {
            @Override
            public boolean knowsExam(String examId) {
                return byExam.containsKey(examId);
            }

            @Override
            public Optional<Issued> issued(String examId, String bookletId) {
                String workNumber = work.get(examId + "|" + bookletId);
                BookletTemplate t = byExam.get(examId);
                return workNumber == null || t == null ? Optional.empty() : Optional.of(new Issued(t, workNumber));
            }
        };
    }

    /** Loads every {@code *.json} template in {@code templateDir} and the issue file {@code booklets}. */
    static BookletCatalog load(Path templateDir, Path booklets) throws IOException {
        List<BookletTemplate> templates = new java.util.ArrayList<>();
        try (var files = Files.list(templateDir)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (p.toString().endsWith(".json")) {
                    try (var in = Files.newInputStream(p)) {
                        templates.add(BookletTemplate.read(in));
                    }
                }
            }
        }
        Issue issue = new ObjectMapper().readValue(booklets.toFile(), Issue.class);
        return of(templates, List.of(issue));
    }
}
