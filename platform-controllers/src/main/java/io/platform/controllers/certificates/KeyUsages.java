package io.platform.controllers.certificates;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * A request's {@code spec.usages} as X.509 key usage bits and extended key usages, with upstream's mapping
 * ({@code signing} and {@code digital signature} are one bit, {@code s/mime} is e-mail protection).
 */
record KeyUsages(int keyUsage, List<KeyPurposeId> extendedKeyUsages) {

    private static final Map<String, Integer> KEY_USAGES = Map.of(
            "signing", KeyUsage.digitalSignature,
            "digital signature", KeyUsage.digitalSignature,
            "content commitment", KeyUsage.nonRepudiation,
            "key encipherment", KeyUsage.keyEncipherment,
            "key agreement", KeyUsage.keyAgreement,
            "data encipherment", KeyUsage.dataEncipherment,
            "cert sign", KeyUsage.keyCertSign,
            "crl sign", KeyUsage.cRLSign,
            "encipher only", KeyUsage.encipherOnly,
            "decipher only", KeyUsage.decipherOnly);

    private static final Map<String, KeyPurposeId> EXTENDED_KEY_USAGES = Map.ofEntries(
            Map.entry("any", KeyPurposeId.anyExtendedKeyUsage),
            Map.entry("server auth", KeyPurposeId.id_kp_serverAuth),
            Map.entry("client auth", KeyPurposeId.id_kp_clientAuth),
            Map.entry("code signing", KeyPurposeId.id_kp_codeSigning),
            Map.entry("email protection", KeyPurposeId.id_kp_emailProtection),
            Map.entry("s/mime", KeyPurposeId.id_kp_emailProtection),
            Map.entry("ipsec end system", KeyPurposeId.id_kp_ipsecEndSystem),
            Map.entry("ipsec tunnel", KeyPurposeId.id_kp_ipsecTunnel),
            Map.entry("ipsec user", KeyPurposeId.id_kp_ipsecUser),
            Map.entry("timestamping", KeyPurposeId.id_kp_timeStamping),
            Map.entry("ocsp signing", KeyPurposeId.id_kp_OCSPSigning),
            Map.entry("microsoft sgc", KeyPurposeId.id_kp_msSGC),
            Map.entry("netscape sgc", KeyPurposeId.id_kp_nsSGC));

    /** The usages named by {@code usages}; throws {@link IllegalArgumentException} naming any it does not know. */
    static KeyUsages of(List<String> usages) {
        int bits = 0;
        Set<KeyPurposeId> extended = new LinkedHashSet<>();
        List<String> unknown = usages.stream()
                .filter(u -> !KEY_USAGES.containsKey(u) && !EXTENDED_KEY_USAGES.containsKey(u)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unrecognized usage values: " + unknown);
        }
        for (String usage : usages) {
            bits |= KEY_USAGES.getOrDefault(usage, 0);
            if (EXTENDED_KEY_USAGES.containsKey(usage)) {
                extended.add(EXTENDED_KEY_USAGES.get(usage));
            }
        }
        return new KeyUsages(bits, List.copyOf(extended));
    }
}
