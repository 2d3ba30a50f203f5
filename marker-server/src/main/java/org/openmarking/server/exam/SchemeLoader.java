package org.openmarking.server.exam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openmarking.domain.Fraction;
import org.openmarking.domain.scheme.Component;
import org.openmarking.domain.scheme.EligibilityRule;
import org.openmarking.domain.scheme.ExamScheme;
import org.openmarking.domain.scheme.Formula;
import org.openmarking.domain.scheme.GradeBand;
import org.openmarking.domain.scheme.Item;
import org.openmarking.domain.scheme.ItemType;
import org.openmarking.domain.scheme.Rounding;
import org.openmarking.domain.scheme.SchemeException;
import org.openmarking.domain.scheme.Subject;

/**
 * Reads exam scheme files (JSON, see {@code config/schemes/}) into checked
 * {@link ExamScheme}s. Every problem is reported as {@code file: field: reason}, and
 * unknown keys are refused so that a misspelt setting cannot be silently ignored.
 */
public final class SchemeLoader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemeLoader() {
    }

    /** A scheme file the server cannot use. */
    public static final class InvalidSchemeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidSchemeException(Path file, String field, String reason) {
            super(file + ": " + (field.isEmpty() ? "" : field + ": ") + reason);
        }
    }

    /** Loads every {@code *.json} in {@code dir}; the ids must be unique. */
    public static Map<String, ExamScheme> loadAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidSchemeException(dir, "", "the schemes directory does not exist");
        }
        Map<String, ExamScheme> schemes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                ExamScheme s = load(f);
                if (schemes.putIfAbsent(s.id(), s) != null) {
                    throw new InvalidSchemeException(f, "id", "scheme '" + s.id() + "' is already defined by another file");
                }
            }
        } catch (IOException e) {
            throw new InvalidSchemeException(dir, "", "cannot list: " + e.getMessage());
        }
        return schemes;
    }

    public static ExamScheme load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new InvalidSchemeException(file, "", "not valid JSON at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidSchemeException(file, "", "cannot read: " + e.getMessage());
        }
        try {
            return scheme(root);
        } catch (SchemeException e) {
            throw new InvalidSchemeException(file, e.field(), e.reason());
        }
    }

    private static ExamScheme scheme(JsonNode n) {
        keys(n, "", Set.of("id", "name", "rounding", "totalMax", "passMark", "passValidYears", "subjects", "eligibility", "tieBreak"));
        Rounding rounding = at("rounding", () -> rounding(n.get("rounding")));
        List<Subject> subjects = list(n, "subjects", true, SchemeLoader::subject);
        List<EligibilityRule> eligibility = list(n, "eligibility", false, SchemeLoader::eligibility);
        List<String> tieBreak = list(n, "tieBreak", false, JsonNode::asText);
        return new ExamScheme(str(n, "id", true), str(n, "name", false), rounding, subjects, decimal(n, "totalMax", true),
                Optional.ofNullable(decimal(n, "passMark", false)), n.path("passValidYears").asInt(0), eligibility, tieBreak);
    }

    private static Rounding rounding(JsonNode n) {
        if (n == null) {
            return Rounding.TENTHS_HALF_UP;
        }
        keys(n, "", Set.of("decimals", "mode"));
        RoundingMode mode;
        try {
            mode = RoundingMode.valueOf(n.path("mode").asText("HALF_UP"));
        } catch (IllegalArgumentException e) {
            throw new SchemeException("mode", "'" + n.path("mode").asText() + "' is not HALF_UP, HALF_EVEN, DOWN, UP, FLOOR or CEILING");
        }
        return new Rounding(n.path("decimals").asInt(1), mode);
    }

    private static Subject subject(JsonNode n) {
        keys(n, "", Set.of("id", "name", "maxScore", "separateGrade", "components", "gradeBands"));
        List<Component> components = list(n, "components", true, SchemeLoader::component);
        List<GradeBand> bands = list(n, "gradeBands", false, b -> {
            keys(b, "", Set.of("from", "to", "grade"));
            return new GradeBand(b.path("from").asInt(-1), b.path("to").asInt(-1), b.path("grade").asInt());
        });
        return new Subject(str(n, "id", true), str(n, "name", false), components, fraction(n, "maxScore", true),
                n.path("separateGrade").asBoolean(false), bands);
    }

    private static Component component(JsonNode n) {
        keys(n, "", Set.of("id", "formula", "items"));
        Formula formula = at("formula", () -> formula(n.get("formula")));
        List<Item> items = new ArrayList<>();
        List<List<Item>> groups = list(n, "items", true, SchemeLoader::items);
        groups.forEach(items::addAll);
        return new Component(str(n, "id", true), items, formula);
    }

    /** One entry such as {"numbers": "4-6", "type": "written", "section": "listening"}. */
    private static List<Item> items(JsonNode n) {
        keys(n, "", Set.of("numbers", "type", "section"));
        String numbers = str(n, "numbers", true);
        ItemType type = at("type", () -> ItemType.parse(str(n, "type", true)));
        int from;
        int to;
        try {
            String[] parts = numbers.split("-");
            from = Integer.parseInt(parts[0].strip());
            to = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : from;
            if (parts.length > 2 || to < from) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new SchemeException("numbers", "'" + numbers + "' is not an item number or range such as 4-6");
        }
        List<Item> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(new Item(i, type, n.path("section").asText("")));
        }
        return out;
    }

    private static Formula formula(JsonNode n) {
        if (n == null) {
            throw new SchemeException("", "missing");
        }
        keys(n, "", Set.of("coefficient", "weights"));
        Map<ItemType, Fraction> weights = new EnumMap<>(ItemType.class);
        JsonNode w = n.get("weights");
        if (w != null) {
            for (Iterator<String> it = w.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                ItemType t = at("weights." + key, () -> ItemType.parse(key));
                weights.put(t, at("weights." + key, () -> Fraction.parse(w.get(key).asText())));
            }
        }
        return new Formula(fraction(n, "coefficient", true), weights);
    }

    private static EligibilityRule eligibility(JsonNode n) {
        keys(n, "", Set.of("id", "description", "minTotal", "minSubject", "requiresAbilityExam"));
        Map<String, BigDecimal> minSubject = new LinkedHashMap<>();
        JsonNode m = n.get("minSubject");
        if (m != null) {
            for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                minSubject.put(key, decimal(m, key, true));
            }
        }
        return new EligibilityRule(str(n, "id", true), str(n, "description", false), decimal(n, "minTotal", true), minSubject,
                n.path("requiresAbilityExam").asBoolean(false));
    }

    // --- small readers that name the field when they fail ------------------------------

    private static void keys(JsonNode n, String where, Set<String> allowed) {
        if (n == null || !n.isObject()) {
            throw new SchemeException(where, "must be a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new SchemeException(k, "unknown field; expected one of " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private static <T> List<T> list(JsonNode n, String field, boolean required, Function<JsonNode, T> each) {
        JsonNode a = n.get(field);
        if (a == null || a.isNull()) {
            if (required) {
                throw new SchemeException(field, "missing");
            }
            return List.of();
        }
        if (!a.isArray()) {
            throw new SchemeException(field, "must be a list");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            int index = i;
            out.add(at(field + "[" + i + "]", () -> each.apply(a.get(index))));
        }
        return out;
    }

    private static <T> T at(String field, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (SchemeException e) {
            throw e.under(field);
        } catch (IllegalArgumentException e) {
            throw new SchemeException(field, e.getMessage());
        }
    }

    private static String str(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new SchemeException(field, "missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new SchemeException(field, "must be text");
        }
        return v.asText();
    }

    private static Fraction fraction(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new SchemeException(field, "missing");
            }
            return null;
        }
        return at(field, () -> Fraction.parse(v.asText()));
    }

    private static BigDecimal decimal(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new SchemeException(field, "missing");
            }
            return null;
        }
        try {
            return new BigDecimal(v.asText());
        } catch (NumberFormatException e) {
            throw new SchemeException(field, "'" + v.asText() + "' is not a number");
        }
    }
}
