package com.leadsync.local;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation / SAM template written in YAML, turning the short-form intrinsic function tags into the
 * long (JSON) form: {@code !Ref x} becomes {@code {"Ref": x}}, {@code !GetAtt A.B} and {@code !GetAtt [A, B]} become
 * {@code {"Fn::GetAtt": [A, B]}}, {@code !Sub}, {@code !Join}, {@code !If} … become {@code {"Fn::Sub": value}} …,
 * and {@code !Condition c} becomes {@code {"Condition": c}} as in CloudFormation. Unknown tags fail the load, and so
 * do duplicate keys (CloudFormation rejects both).
 */
public final class CfnYaml {

    /** Short-form tags whose long form is {@code Fn::<Name>} with the tagged value unchanged. */
    private static final List<String> FN_TAGS = List.of("Sub", "Join", "Select", "Split", "If", "Equals", "Not",
            "And", "Or", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue", "Transform", "Length",
            "ToJsonString");

    private CfnYaml() {
    }

    /** The whole template as nested {@link Map}s (insertion-ordered), {@link List}s and scalars. */
    public static Map<String, Object> load(InputStream yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(200);
        Object root = new Yaml(new CfnConstructor(options)).load(yaml);
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a CloudFormation template must be a YAML mapping, got "
                    + (root == null ? "an empty document" : root.getClass().getSimpleName()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) map;
        return result;
    }

    private static final class CfnConstructor extends SafeConstructor {

        /** Implicitly resolved scalar types that a mapping key is read as text instead. */
        private static final Set<Tag> TEXT_KEY_TAGS = Set.of(Tag.BOOL, Tag.INT, Tag.FLOAT, Tag.NULL, Tag.TIMESTAMP);

        CfnConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(new Tag("!Ref"), new Wrap("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Wrap("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new GetAtt());
            for (String name : FN_TAGS) {
                yamlConstructors.put(new Tag("!" + name), new Wrap("Fn::" + name));
            }
        }

        @Override
        protected void constructMapping2ndStep(MappingNode node, Map<Object, Object> mapping) {
            for (NodeTuple tuple : node.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && TEXT_KEY_TAGS.contains(key.getTag())) {
                    key.setTag(Tag.STR);
                }
            }
            super.constructMapping2ndStep(node, mapping);
        }

        /** The node's value as plain YAML: a String, a List or a Map, whatever tag it carries. */
        private Object plain(Node node) {
            if (node instanceof ScalarNode scalar) {
                return constructScalar(scalar);
            }
            if (node instanceof SequenceNode sequence) {
                return new ArrayList<>(constructSequence(sequence));
            }
            if (node instanceof MappingNode mapping) {
                return new LinkedHashMap<>(constructMapping(mapping));
            }
            throw new IllegalArgumentException("unsupported YAML node " + node);
        }

        private final class Wrap extends AbstractConstruct {
            private final String key;

            Wrap(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put(key, plain(node));
                return result;
            }
        }

        private final class GetAtt extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                Object value = plain(node);
                if (value instanceof String text) {
                    int dot = text.indexOf('.');
                    if (dot <= 0 || dot == text.length() - 1) {
                        throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, got '" + text + "' "
                                + node.getStartMark());
                    }
                    // Attribute names may themselves contain dots (Endpoint.Address): split at the first one.
                    value = new ArrayList<Object>(List.of(text.substring(0, dot), text.substring(dot + 1)));
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("Fn::GetAtt", value);
                return result;
            }
        }
    }
}
