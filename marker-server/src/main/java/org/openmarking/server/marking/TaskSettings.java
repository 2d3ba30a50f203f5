package org.openmarking.server.marking;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.openmarking.calibration.CalibrationRule;
import org.openmarking.calibration.resolution.ResolutionPolicy;
import org.openmarking.seeding.SeedPolicy;
import org.openmarking.seeding.SeedSchedule;

/**
 * A task's marking settings, stored in {@code tasks.settings} (jsonb); every value missing there
 * takes its default. Each part is checked by the library type it configures, so a bad value is
 * refused with that type's message.
 *
 * <pre>
 * {"calibration": {"required": true, "itemsPerSet": 10, "minExact": 8, "maxStepsOff": 1},
 *  "resolution":  {"independentMarks": 2, "secondMarkingPercent": 0, "toleranceSteps": 0},
 *  "seeding":     {"meanInterval": 20, "minGap": 4, "maxGap": 80,            (meanInterval 0: no seeds)
 *                  "toleranceSteps": 1, "window": 5, "suspendAfter": 2, "cusumSlack": 1, "cusumThreshold": 4},
 *  "lease":       {"seconds": 900, "concurrentLimit": 3},
 *  "exclusions":  ["school"]}                                              (any of "school", "region")
 * </pre>
 *
 * @param calibrationRequired whether markers must pass calibration before live marking
 * @param seedSchedule        empty-rate schedules are represented by {@code null} (no seeding)
 */
public record TaskSettings(boolean calibrationRequired, CalibrationRule calibrationRule, ResolutionPolicy resolution,
                           SeedSchedule seedSchedule, SeedPolicy seedPolicy, Duration lease, int concurrentLimit,
                           Set<String> exclusions) {
    private static final Set<String> EXCLUSIONS = Set.of("school", "region");

    public TaskSettings {
        if (lease.isNegative() || lease.isZero() || lease.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("lease.seconds must be between 1 and 86400");
        }
        if (concurrentLimit < 1 || concurrentLimit > 50) {
            throw new IllegalArgumentException("lease.concurrentLimit must be between 1 and 50");
        }
        for (String e : exclusions) {
            if (!EXCLUSIONS.contains(e)) {
                throw new IllegalArgumentException("exclusions may name 'school' and 'region', not '" + e + "'");
            }
        }
        exclusions = Set.copyOf(exclusions);
    }

    public static TaskSettings defaults() {
        return parse(new JsonObject());
    }

    /** Reads stored settings, with defaults for everything missing. */
    public static TaskSettings parse(JsonObject json) {
        JsonObject c = obj(json, "calibration");
        JsonObject r = obj(json, "resolution");
        JsonObject s = obj(json, "seeding");
        JsonObject l = obj(json, "lease");
        int mean = s.getInteger("meanInterval", 20);
        SeedSchedule schedule = null;
        if (mean != 0) {
            SeedSchedule standard = SeedSchedule.oneIn(Math.max(2, mean));
            schedule = new SeedSchedule(mean, s.getInteger("minGap", standard.minGap()), s.getInteger("maxGap", standard.maxGap()));
        }
        SeedPolicy p = SeedPolicy.standard();
        List<String> exclusions = json.getJsonArray("exclusions", new JsonArray().add("school")).stream().map(String::valueOf).toList();
        return new TaskSettings(c.getBoolean("required", true),
                new CalibrationRule(c.getInteger("itemsPerSet", 10), c.getInteger("minExact", 8), c.getInteger("maxStepsOff", 1)),
                new ResolutionPolicy(r.getInteger("independentMarks", 2), r.getInteger("secondMarkingPercent", 0), r.getInteger("toleranceSteps", 0)),
                schedule,
                new SeedPolicy(s.getInteger("toleranceSteps", p.toleranceSteps()), s.getInteger("window", p.window()),
                        s.getInteger("suspendAfter", p.suspendAfter()), s.getInteger("cusumSlack", p.cusumSlack()),
                        s.getInteger("cusumThreshold", p.cusumThreshold())),
                Duration.ofSeconds(l.getInteger("seconds", 900)), l.getInteger("concurrentLimit", 3), Set.copyOf(exclusions));
    }

    private static JsonObject obj(JsonObject json, String key) {
        Object v = json.getValue(key);
        if (v == null) {
            return new JsonObject();
        }
        if (v instanceof JsonObject o) {
            return o;
        }
        throw new IllegalArgumentException("'" + key + "' must be an object");
    }

    /**
     * Whether these settings keep a marker of {@code markerSchool} and {@code markerRegion} from a
     * response of {@code school} and {@code region}: only an exclusion the task names, and only
     * when the marker's own code is known (the SQL of allocation reads it the same way).
     */
    public boolean excludes(String markerSchool, String markerRegion, String school, String region) {
        return exclusions.contains("school") && markerSchool != null && markerSchool.equals(school)
                || exclusions.contains("region") && markerRegion != null && markerRegion.equals(region);
    }

    /** The settings as stored and shown, every value explicit. */
    public JsonObject toJson() {
        JsonObject seeding = new JsonObject().put("meanInterval", seedSchedule == null ? 0 : seedSchedule.meanInterval());
        if (seedSchedule != null) {
            seeding.put("minGap", seedSchedule.minGap()).put("maxGap", seedSchedule.maxGap());
        }
        seeding.put("toleranceSteps", seedPolicy.toleranceSteps()).put("window", seedPolicy.window())
                .put("suspendAfter", seedPolicy.suspendAfter()).put("cusumSlack", seedPolicy.cusumSlack())
                .put("cusumThreshold", seedPolicy.cusumThreshold());
        return new JsonObject()
                .put("calibration", new JsonObject().put("required", calibrationRequired).put("itemsPerSet", calibrationRule.itemsPerSet())
                        .put("minExact", calibrationRule.minExact()).put("maxStepsOff", calibrationRule.maxStepsOff()))
                .put("resolution", new JsonObject().put("independentMarks", resolution.independentMarks())
                        .put("secondMarkingPercent", resolution.secondMarkingPercent()).put("toleranceSteps", resolution.toleranceSteps()))
                .put("seeding", seeding)
                .put("lease", new JsonObject().put("seconds", lease.toSeconds()).put("concurrentLimit", concurrentLimit))
                .put("exclusions", new JsonArray(exclusions.stream().sorted().toList()));
    }

    /** {@code changes} laid over these settings, section by section. */
    public TaskSettings with(JsonObject changes) {
        JsonObject merged = toJson();
        for (String key : changes.fieldNames()) {
            Object v = changes.getValue(key);
            if (v instanceof JsonObject o && merged.getValue(key) instanceof JsonObject current) {
                if (key.equals("seeding") && o.containsKey("meanInterval")) {
                    // The gaps follow a new rate unless given with it.
                    current.remove("minGap");
                    current.remove("maxGap");
                }
                current.mergeIn(o);
            } else if (!Set.of("calibration", "resolution", "seeding", "lease", "exclusions").contains(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'");
            } else {
                merged.put(key, v);
            }
        }
        return parse(merged);
    }
}
