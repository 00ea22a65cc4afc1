package io.platform.agent.process;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod networking of the isolated process runtime, as a CNI bridge plugin does it by hand: one Linux bridge holding the
 * first address of the pod CIDR (every pod's gateway), and per pod a network namespace {@code platform-<uid prefix>}
 * joined to it by a veth pair, with the next free address of the CIDR.
 */
final class PodNetwork {

    private static final Logger log = LoggerFactory.getLogger(PodNetwork.class);
    private static final Path NETNS_DIR = Path.of("/var/run/netns");

    private final String bridge;
    private final int network;
    private final int prefix;

    PodNetwork(String bridge, String cidr) {
        this.bridge = bridge;
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("platform.agent.process.pod-cidr must be an IPv4 CIDR such as 10.88.0.0/16, not " + cidr);
        }
        this.prefix = Integer.parseInt(parts[1]);
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("platform.agent.process.pod-cidr needs a prefix between /8 and /30, not " + cidr);
        }
        int mask = (int) (0xFFFFFFFFL << (32 - prefix));
        this.network = toInt(parts[0]) & mask;
    }

    String gateway() {
        return toAddress(network + 1);
    }

    /** Makes the bridge with the gateway address, unless it exists. */
    void ensureBridge() {
        if (HostCommand.attempt(List.of("ip", "link", "show", bridge)).exitCode() == 0) {
            return;
        }
        HostCommand.run(List.of("ip", "link", "add", bridge, "type", "bridge"));
        HostCommand.run(List.of("ip", "addr", "add", gateway() + "/" + prefix, "dev", bridge));
        HostCommand.run(List.of("ip", "link", "set", bridge, "up"));
        log.info("Created pod bridge {} with gateway {}/{}", bridge, gateway(), prefix);
    }

    /** The lowest address of the CIDR after the gateway that no pod holds. */
    String allocate(Set<String> taken) {
        int last = network + (int) ((1L << (32 - prefix)) - 2);
        for (int candidate = network + 2; candidate <= last; candidate++) {
            String address = toAddress(candidate);
            if (!taken.contains(address)) {
                return address;
            }
        }
        throw new IllegalStateException("the pod CIDR " + toAddress(network) + "/" + prefix + " has no free address left");
    }

    /** Creates the pod's namespace with {@code address} on a veth to the bridge and a default route via the gateway. */
    void create(String netns, String hostVeth, String address) {
        ensureBridge();
        HostCommand.run(List.of("ip", "netns", "add", netns));
        try {
            HostCommand.run(List.of("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", "eth0", "netns", netns));
            HostCommand.run(List.of("ip", "link", "set", hostVeth, "master", bridge, "up"));
            HostCommand.run(List.of("ip", "-n", netns, "link", "set", "lo", "up"));
            HostCommand.run(List.of("ip", "-n", netns, "addr", "add", address + "/" + prefix, "dev", "eth0"));
            HostCommand.run(List.of("ip", "-n", netns, "link", "set", "eth0", "up"));
            HostCommand.run(List.of("ip", "-n", netns, "route", "add", "default", "via", gateway()));
        } catch (RuntimeException e) {
            delete(netns, hostVeth);
            throw e;
        }
    }

    /** Whether the pod's namespace still exists (it does not after a reboot). */
    static boolean exists(String netns) {
        return Files.exists(NETNS_DIR.resolve(netns));
    }

    static Path path(String netns) {
        return NETNS_DIR.resolve(netns);
    }

    /** Deletes the pod's namespace (its end of the veth pair goes with it) and the host end if left. */
    void delete(String netns, String hostVeth) {
        if (exists(netns)) {
            HostCommand.attempt(List.of("ip", "netns", "del", netns));
        }
        if (HostCommand.attempt(List.of("ip", "link", "show", hostVeth)).exitCode() == 0) {
            HostCommand.attempt(List.of("ip", "link", "del", hostVeth));
        }
    }

    /** Deletes the bridge once no pod uses it. */
    void deleteBridgeIfUnused() {
        HostCommand.Result ports = HostCommand.attempt(List.of("ip", "-o", "link", "show", "master", bridge));
        if (ports.exitCode() == 0 && ports.output().isBlank()) {
            HostCommand.attempt(List.of("ip", "link", "del", bridge));
            log.info("Deleted pod bridge {}, no pod uses it", bridge);
        }
    }

    private static int toInt(String address) {
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 4) {
                throw new IllegalArgumentException("platform.agent.process.pod-cidr must be IPv4, not " + address);
            }
            return ByteBuffer.wrap(bytes).getInt();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("platform.agent.process.pod-cidr has no valid address: " + address, e);
        }
    }

    private static String toAddress(int value) {
        return ((value >>> 24) & 0xFF) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
