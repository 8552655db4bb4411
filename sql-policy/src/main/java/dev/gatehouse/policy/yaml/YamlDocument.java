package dev.gatehouse.policy.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.gatehouse.policy.PolicyException;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one YAML document into {@link YamlNode}s that remember their locations. Duplicate keys are errors
 * (YAML would silently keep the last one, so a second {@code action:} could quietly weaken a rule).
 * Bounded: documents nest at most {@link #MAX_DEPTH} levels and hold at most {@link #MAX_CODE_POINTS} characters.
 * Aliases ({@code *name}) are refused: the streaming parser does not expand them (so no alias bomb), it hands
 * back the anchor's name as if it were text, which would quietly turn {@code principals: [*boss]} into a
 * principal called "boss". Thread-safe.
 */
public final class YamlDocument {
    /** Deep enough for any policy; shallow enough that a hostile file cannot exhaust the stack. */
    public static final int MAX_DEPTH = 32;
    /** SnakeYAML's own default, stated: policies are far smaller (Policy.MAX_FILE_BYTES), test files may be larger. */
    public static final int MAX_CODE_POINTS = 3 * 1024 * 1024;

    private static final YAMLFactory FACTORY = YAMLFactory.builder().loaderOptions(loaderOptions()).build();

    private YamlDocument() {
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        // A backstop under the parser: MAX_DEPTH is checked first, with a better message.
        options.setNestingDepthLimit(2 * MAX_DEPTH);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(0);
        return options;
    }

    /** @param file names the document in error messages */
    public static YamlNode parse(String file, byte[] bytes) throws PolicyException {
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new PolicyException(file + ":1:1: the file is empty");
            }
            YamlNode root = read(file, parser, "", 0);
            if (parser.nextToken() != null) {
                throw new PolicyException(at(file, parser.currentTokenLocation()) + ": only one YAML document is allowed");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String position = where == null ? file : at(file, where);
            throw new PolicyException(position + ": not valid YAML: " + oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new PolicyException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static YamlNode read(String file, JsonParser parser, String path, int depth) throws IOException, PolicyException {
        YamlNode.Location where = location(file, parser.currentTokenLocation());
        if (depth > MAX_DEPTH) {
            throw new PolicyException(where + ": " + path + ": nested deeper than " + MAX_DEPTH + " levels");
        }
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            throw new PolicyException(where + ": " + path + ": YAML aliases (*" + parser.getText()
                    + ") are not supported: write the value out");
        }
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, YamlNode.Field> fields = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    YamlNode.Location keyAt = location(file, parser.currentTokenLocation());
                    String childPath = path.isEmpty() ? name : path + "." + name;
                    if (fields.containsKey(name)) {
                        throw new PolicyException(keyAt + ": " + childPath + ": duplicate key (first written at line "
                                + fields.get(name).keyAt().line() + ")");
                    }
                    parser.nextToken();
                    fields.put(name, new YamlNode.Field(name, keyAt, read(file, parser, childPath, depth + 1)));
                }
                return new YamlNode.Mapping(where, fields);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(file, parser, path + "[" + index++ + "]", depth + 1));
                }
                return new YamlNode.Sequence(where, items);
            }
            case VALUE_STRING -> {
                return new YamlNode.Scalar(where, YamlNode.ScalarType.STRING, parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return new YamlNode.Scalar(where, YamlNode.ScalarType.INTEGER, parser.getText());
            }
            case VALUE_NUMBER_FLOAT -> {
                return new YamlNode.Scalar(where, YamlNode.ScalarType.DECIMAL, parser.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode.Scalar(where, YamlNode.ScalarType.BOOLEAN, parser.getText());
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(where, YamlNode.ScalarType.NULL, "null");
            }
            default -> throw new PolicyException(where + ": " + path + ": unsupported YAML value (" + token + ")");
        }
    }

    /** SnakeYAML's messages span lines with a source excerpt; keep the sentences, drop the excerpt and caret. */
    private static String oneLine(String message) {
        StringBuilder out = new StringBuilder();
        for (String line : message.lines().toList()) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("in 'reader'") || t.equals("^") || line.startsWith("    ")) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(t);
        }
        return out.toString();
    }

    private static YamlNode.Location location(String file, JsonLocation location) {
        return new YamlNode.Location(file, Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }

    private static String at(String file, JsonLocation location) {
        return location(file, location).toString();
    }
}
