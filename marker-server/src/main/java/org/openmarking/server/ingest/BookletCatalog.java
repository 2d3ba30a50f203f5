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
 * issued to. The server backs this with its exam and identity tables; the CLI and
 * tests use {@link #of} or {@link #load}.
 */
public interface BookletCatalog {
    Optional<BookletTemplate> template(String examId);

    /** The work number of the candidate the booklet was issued to; empty if never issued. */
    Optional<String> workNumber(String examId, String bookletId);

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
            public Optional<BookletTemplate> template(String examId) {
                return Optional.ofNullable(byExam.get(examId));
            }

            @Override
            public Optional<String> workNumber(String examId, String bookletId) {
                return Optional.ofNullable(work.get(examId + "|" + bookletId));
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
