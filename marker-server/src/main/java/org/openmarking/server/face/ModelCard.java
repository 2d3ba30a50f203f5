package org.openmarking.server.face;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model card: what one model file is, where it comes from, its checksum, and how to feed it
 * and read its output. Cards live in {@code src/main/resources/face/cards/}; the model files
 * themselves are never committed and are read from a configured directory (see {@link ModelRegistry}).
 *
 * <p>Pre-processing of a recognizer is {@code blob = (pixel - mean) * scale} in {@code colourOrder}.
 */
public record ModelCard(
        String name,
        ModelRole role,
        String file,
        String sha256,
        long sizeBytes,
        boolean productionRecommended,
        int preference,
        Input input,
        Alignment alignment,
        Output output,
        String similarity,
        List<OperatingPoint> operatingPoints,
        Double defaultFmr,
        Double defaultScoreThreshold,
        String licence,
        String origin,
        String notes) {

    /** The cards shipped with the server, by resource name under {@code face/cards/}. */
    public static final List<String> BUILT_IN =
            List.of("yunet-2023mar.json", "sface-2021dec.json", "fr-feature.json", "fr-landmark.json");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Colour order of the tensor a model expects. */
    public enum ColourOrder { RGB, BGR, GREY }

    /** Input tensor and its normalisation; width/height 0 means "any size". */
    public record Input(String tensor, int width, int height, ColourOrder colourOrder,
                        double mean, double scale, String resize) {
        public Input {
            Objects.requireNonNull(colourOrder, "input.colourOrder");
            if (width < 0 || height < 0 || scale <= 0) {
                throw new IllegalArgumentException("input: width/height must be >= 0 and scale > 0");
            }
        }
    }

    /** Alignment of a face onto a fixed template before the model sees it. */
    public record Alignment(String method, int size, List<List<Double>> template) {
        public Alignment {
            if (!"SIMILARITY_5POINT".equals(method)) {
                throw new IllegalArgumentException("alignment.method must be SIMILARITY_5POINT, got " + method);
            }
            if (template == null || template.size() != 5 || template.stream().anyMatch(p -> p.size() != 2)) {
                throw new IllegalArgumentException("alignment.template must hold 5 (x,y) points");
            }
            template = template.stream().map(List::copyOf).toList();
        }

        /** The template as {@code double[5][2]}. */
        public double[][] points() {
            double[][] p = new double[5][2];
            for (int i = 0; i < 5; i++) {
                p[i][0] = template.get(i).get(0);
                p[i][1] = template.get(i).get(1);
            }
            return p;
        }
    }

    /** How the model's output is decoded. */
    public record Output(String tensor, String decoding, Integer dimension, String description) {
        public Output {
            Objects.requireNonNull(decoding, "output.decoding");
        }
    }

    /** A decision threshold measured (or published) at a false-match rate. */
    public record OperatingPoint(double fmr, double threshold, Double fnmr, String source) {
        public OperatingPoint {
            if (!(fmr > 0 && fmr < 1) || !(threshold > -1 && threshold < 1)) {
                throw new IllegalArgumentException("operating point needs 0 < fmr < 1 and -1 < threshold < 1");
            }
        }
    }

    public ModelCard {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role of card " + name);
        Objects.requireNonNull(file, "file of card " + name);
        Objects.requireNonNull(input, "input of card " + name);
        Objects.requireNonNull(output, "output of card " + name);
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("card " + name + ": sha256 must be 64 lower-case hex digits");
        }
        if (file.contains("/") || file.contains("\\") || file.startsWith(".")) {
            throw new IllegalArgumentException("card " + name + ": file must be a plain file name, got " + file);
        }
        operatingPoints = operatingPoints == null ? List.of() : List.copyOf(operatingPoints);
        if (role == ModelRole.RECOGNIZER) {
            if (alignment == null) {
                throw new IllegalArgumentException("recognizer card " + name + " needs an alignment");
            }
            if (!"COSINE".equals(similarity)) {
                throw new IllegalArgumentException("recognizer card " + name + ": similarity must be COSINE");
            }
            if (operatingPoints.isEmpty() || defaultFmr == null) {
                throw new IllegalArgumentException("recognizer card " + name + " needs operating points and a defaultFmr");
            }
            if (input.width() != alignment.size() || input.height() != alignment.size()) {
                throw new IllegalArgumentException("recognizer card " + name + ": input size must equal alignment size");
            }
            find(name, operatingPoints, defaultFmr); // fails early if the default has no operating point
        }
        if (role == ModelRole.DETECTOR && defaultScoreThreshold == null) {
            throw new IllegalArgumentException("detector card " + name + " needs defaultScoreThreshold");
        }
    }

    /** The cosine threshold at the given false-match rate, e.g. {@code 1e-3}. */
    public double threshold(double fmr) {
        return find(name, operatingPoints, fmr).threshold();
    }

    private static OperatingPoint find(String name, List<OperatingPoint> operatingPoints, double fmr) {
        return operatingPoints.stream()
                .filter(p -> Math.abs(Math.log10(p.fmr()) - Math.log10(fmr)) < 1e-6)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "card " + name + " has no operating point at FMR " + fmr + "; it has " + operatingPoints));
    }

    /** The cosine threshold at the card's default operating point. */
    public double defaultThreshold() {
        return threshold(defaultFmr);
    }

    /** Reads one card from JSON; unknown fields are an error. */
    public static ModelCard read(InputStream json) throws IOException {
        return JSON.readValue(json, ModelCard.class);
    }

    /** The cards shipped in the server's resources. */
    public static List<ModelCard> builtIn() {
        List<ModelCard> cards = new ArrayList<>();
        for (String resource : BUILT_IN) {
            try (InputStream in = ModelCard.class.getResourceAsStream("/face/cards/" + resource)) {
                if (in == null) {
                    throw new IllegalStateException("model card resource face/cards/" + resource + " is missing");
                }
                cards.add(read(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read model card face/cards/" + resource, e);
            }
        }
        return List.copyOf(cards);
    }
}
