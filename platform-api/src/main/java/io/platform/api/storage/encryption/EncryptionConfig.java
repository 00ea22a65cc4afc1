package io.platform.api.storage.encryption;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * An {@code apiserver.config.k8s.io/v1 EncryptionConfiguration}: per group of resources, an ordered list of
 * providers. Writes use the first provider (its first key); reads find the provider by the prefix of the stored
 * value. Only the {@code aesgcm} and {@code identity} providers are supported.
 */
public record EncryptionConfig(List<Rule> rules) {

    public static final String API_VERSION = "apiserver.config.k8s.io/v1";
    public static final String KIND = "EncryptionConfiguration";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Set<Integer> AES_KEY_SIZES = Set.of(16, 24, 32);

    public EncryptionConfig {
        rules = List.copyOf(rules);
    }

    /** One {@code resources[]} entry: resources as {@code secrets} or {@code deployments.apps}, and providers. */
    public record Rule(List<String> resources, List<Provider> providers) {
        public Rule {
            resources = List.copyOf(resources);
            providers = List.copyOf(providers);
        }
    }

    /** A provider: {@code aesgcm} with keys or {@code identity} (values stored as they are). */
    public sealed interface Provider permits AesGcmProvider, IdentityProvider {}

    /** {@code aesgcm: {keys: [...]}}; the first key encrypts, every key decrypts. */
    public record AesGcmProvider(List<Key> keys) implements Provider {
        public AesGcmProvider {
            keys = List.copyOf(keys);
        }
    }

    /** {@code identity: {}}. */
    public record IdentityProvider() implements Provider {}

    /** A named AES key; its name is written in the prefix of every value it encrypted. */
    public record Key(String name, byte[] secret) {
        public Key {
            if (name.isEmpty() || name.contains(":")) {
                throw new IllegalArgumentException("an aesgcm key name must be non-empty and without ':', got '"
                        + name + "'");
            }
            if (!AES_KEY_SIZES.contains(secret.length)) {
                throw new IllegalArgumentException("aesgcm key '" + name + "' must be 16, 24 or 32 bytes, got "
                        + secret.length);
            }
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }
    }

    /** The default: Secrets encrypted with {@code key}, plaintext values still readable (identity second). */
    public static EncryptionConfig secretsWith(Key key) {
        return new EncryptionConfig(List.of(new Rule(List.of("secrets"),
                List.of(new AesGcmProvider(List.of(key)), new IdentityProvider()))));
    }

    /** The names of every aesgcm key, in order of appearance. */
    public Set<String> keyNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Rule rule : rules) {
            for (Provider provider : rule.providers()) {
                if (provider instanceof AesGcmProvider aes) {
                    aes.keys().forEach(key -> names.add(key.name()));
                }
            }
        }
        return names;
    }

    /**
     * This configuration with {@code key} first in every rule whose first provider is aesgcm (the one writes use),
     * the other keys kept after it for reading.
     */
    public EncryptionConfig withWriteKey(Key key) {
        return mapWriteProviders(keys -> {
            List<Key> changed = new ArrayList<>();
            changed.add(key);
            changed.addAll(keys);
            return changed;
        });
    }

    /** This configuration keeping, in the providers writes use, only their first key. */
    public EncryptionConfig withOnlyWriteKeys() {
        return mapWriteProviders(keys -> keys.subList(0, 1));
    }

    private EncryptionConfig mapWriteProviders(UnaryOperator<List<Key>> change) {
        List<Rule> changed = new ArrayList<>();
        for (Rule rule : rules) {
            List<Provider> providers = new ArrayList<>(rule.providers());
            if (providers.getFirst() instanceof AesGcmProvider aes) {
                providers.set(0, new AesGcmProvider(change.apply(aes.keys())));
            }
            changed.add(new Rule(rule.resources(), providers));
        }
        return new EncryptionConfig(changed);
    }

    /**
     * Reads the YAML (or JSON) form.
     *
     * @throws IllegalArgumentException saying what is wrong, prefixed with {@code source}
     */
    public static EncryptionConfig parse(byte[] yaml, String source) {
        try {
            JsonNode root = YAML.readTree(yaml);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a YAML object");
            }
            if (!API_VERSION.equals(root.path("apiVersion").asString("")) || !KIND.equals(root.path("kind").asString(""))) {
                throw new IllegalArgumentException("expected apiVersion " + API_VERSION + " and kind " + KIND);
            }
            List<Rule> rules = new ArrayList<>();
            Set<String> seenResources = new HashSet<>();
            for (JsonNode entry : root.path("resources")) {
                List<String> resources = new ArrayList<>();
                for (JsonNode resource : entry.path("resources")) {
                    String name = resource.asString("");
                    EncryptedResources.keyPrefix(name);
                    if (!seenResources.add(name)) {
                        throw new IllegalArgumentException("resource '" + name + "' is listed twice");
                    }
                    resources.add(name);
                }
                List<Provider> providers = new ArrayList<>();
                for (JsonNode provider : entry.path("providers")) {
                    providers.add(provider(provider));
                }
                if (resources.isEmpty() || providers.isEmpty()) {
                    throw new IllegalArgumentException("every resources[] entry needs resources and providers");
                }
                rules.add(new Rule(resources, providers));
            }
            if (rules.isEmpty()) {
                throw new IllegalArgumentException("resources[] is empty");
            }
            if (!sameSecretsForSameNames(rules)) {
                throw new IllegalArgumentException("two aesgcm keys have one name but different secrets");
            }
            return new EncryptionConfig(rules);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static boolean sameSecretsForSameNames(List<Rule> rules) {
        Map<String, String> secrets = new HashMap<>();
        for (Rule rule : rules) {
            for (Provider provider : rule.providers()) {
                if (provider instanceof AesGcmProvider aes) {
                    for (Key key : aes.keys()) {
                        String secret = Base64.getEncoder().encodeToString(key.secret());
                        if (!secrets.computeIfAbsent(key.name(), name -> secret).equals(secret)) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    private static Provider provider(JsonNode node) {
        if (node.has("identity")) {
            return new IdentityProvider();
        }
        if (node.has("aesgcm")) {
            List<Key> keys = new ArrayList<>();
            for (JsonNode key : node.path("aesgcm").path("keys")) {
                String name = key.path("name").asString("");
                byte[] secret;
                try {
                    secret = Base64.getDecoder().decode(key.path("secret").asString(""));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("aesgcm key '" + name + "': secret is not base64");
                }
                keys.add(new Key(name, secret));
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("an aesgcm provider needs at least one key");
            }
            return new AesGcmProvider(keys);
        }
        String names = String.join(", ", node.propertyNames());
        throw new IllegalArgumentException("unsupported provider '" + names + "'; supported: aesgcm, identity");
    }

    /** The YAML form, as {@link #parse} reads it. */
    public byte[] toYaml() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        root.put("apiVersion", API_VERSION);
        root.put("kind", KIND);
        ArrayNode entries = root.putArray("resources");
        for (Rule rule : rules) {
            ObjectNode entry = entries.addObject();
            ArrayNode resources = entry.putArray("resources");
            rule.resources().forEach(resources::add);
            ArrayNode providers = entry.putArray("providers");
            for (Provider provider : rule.providers()) {
                ObjectNode item = providers.addObject();
                switch (provider) {
                    case IdentityProvider identity -> item.putObject("identity");
                    case AesGcmProvider aes -> {
                        ArrayNode keys = item.putObject("aesgcm").putArray("keys");
                        for (Key key : aes.keys()) {
                            keys.addObject().put("name", key.name())
                                    .put("secret", Base64.getEncoder().encodeToString(key.secret()));
                        }
                    }
                }
            }
        }
        return YAML.writeValueAsBytes(root);
    }
}
