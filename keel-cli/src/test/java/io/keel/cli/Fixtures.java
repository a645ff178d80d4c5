package io.keel.cli;

/** API answers, shaped like keel-api's DTOs. */
final class Fixtures {
    private Fixtures() {}

    static final String NODE_ALPHA = """
            {"id":"n-1","name":"alpha","address":"10.0.0.1","apiPort":8888,"status":"HEALTHY","inCluster":true,
             "maintenance":false,"roles":["storage","metadata"],
             "location":{"roomId":"r1","room":"Hall A","rowId":"w1","row":"Row 1","rackId":"k1","rack":"Rack 7"},
             "heartbeatAgeMs":400,"joinedAt":"2026-11-22T10:00:00.123456Z",
             "inventory":{"hostname":"alpha.local","os":"Linux 6.8","cpuModel":"AMD EPYC 7302","cpuCores":16,
               "memoryBytes":68719476736,
               "interfaces":[{"name":"eth0","mac":"aa:bb:cc:dd:ee:01","addresses":["10.0.0.1/24","fe80::1/64"],"up":true,"mtu":1500}],
               "disks":[{"id":"sdb","kind":"block","device":"/dev/sdb","sizeBytes":1000204886016,"rotational":false,
                         "model":"Samsung 870","serial":"S1","system":false}]}}
            """;

    static final String NODE_BETA = """
            {"id":"n-2","name":"beta","address":"10.0.0.2","apiPort":8888,"status":"UNASSIGNED","inCluster":false,
             "maintenance":false,"roles":[],"location":null,"heartbeatAgeMs":null,"joinedAt":null,"inventory":null,
             "futureField":"ignored"}
            """;

    static final String NODES = "[" + NODE_ALPHA + "," + NODE_BETA + "]";

    static final String DISK_SDB = """
            {"nodeId":"n-1","nodeName":"alpha","id":"sdb","kind":"block","device":"/dev/sdb","sizeBytes":1000204886016,
             "rotational":false,"model":"Samsung 870","serial":"S1","system":false,"role":"storage","tier":0,
             "checksumming":true,"caching":false}
            """;

    static final String DISK_SDC = """
            {"nodeId":"n-1","nodeName":"alpha","id":"sdc","kind":"block","device":"/dev/sdc","sizeBytes":4000787030016,
             "rotational":true,"model":"HGST","serial":"S2","system":false,"role":"none","tier":null,
             "checksumming":false,"caching":false}
            """;

    static final String DISK_SDA = """
            {"nodeId":"n-1","nodeName":"alpha","id":"sda","kind":"block","device":"/dev/sda","sizeBytes":256060514304,
             "rotational":false,"model":"boot","serial":"S0","system":true,"role":"system","tier":null,
             "checksumming":false,"caching":false}
            """;

    static final String DISKS = "[" + DISK_SDA + "," + DISK_SDB + "," + DISK_SDC + "]";

    static final String CLUSTER = """
            {"id":"c-1","name":"prod","createdAt":"2026-11-20T08:00:00Z","storageClusterCreatedAt":"2026-11-20T09:00:00Z",
             "encryption":true,"managementNodeId":"n-1","nodes":3,
             "metadata":{"members":[
                {"nodeId":"n-1","name":"alpha","address":"10.0.0.1","raftPort":9000,"up":true},
                {"nodeId":"n-2","name":"beta","address":"10.0.0.2","raftPort":9000,"up":true},
                {"nodeId":"n-3","name":"gamma","address":"10.0.0.3","raftPort":9000,"up":true}],
              "leaderId":"n-2","term":7,"commitIndex":1234,"up":3,"total":3,"quorum":true}}
            """;

    static final String CLUSTER_UNINITIALISED = """
            {"id":"c-1","name":null,"createdAt":"2026-11-20T08:00:00Z","storageClusterCreatedAt":null,
             "encryption":false,"managementNodeId":"n-1","nodes":1,
             "metadata":{"members":[{"nodeId":"n-1","name":"alpha","address":"10.0.0.1","raftPort":9000,"up":true}],
              "leaderId":"n-1","term":1,"commitIndex":5,"up":1,"total":1,"quorum":true}}
            """;

    static final String TOKEN = """
            {"token":"JT-abc.def","generation":3,"expiresAt":"2026-11-23T12:00:00Z","managementAddress":"10.0.0.1:8888"}
            """;

    static final String LOCATIONS = """
            [{"id":"r1","type":"room","name":"Hall A","parentId":null,"nodeIds":null},
             {"id":"w1","type":"row","name":"Row 1","parentId":"r1","nodeIds":null},
             {"id":"k1","type":"rack","name":"Rack 7","parentId":"w1","nodeIds":["n-1","n-2"]},
             {"id":"k2","type":"rack","name":"Rack 8","parentId":"w1","nodeIds":[]},
             {"id":"r2","type":"room","name":"Hall B","parentId":null,"nodeIds":null}]
            """;

    static final String VOLUME_DB = """
            {"id":"v0000000000000a1","name":"db","sizeBytes":10737418240,"chunkSizeBytes":67108864,"policy":"triple",
             "allocatedBytes":1610612736,"physicalBytes":4831838208,"health":"healthy","healthReason":null,
             "chunks":24,"degradedChunks":0,"leaseHolder":"alpha","leaseEpoch":7,"createdAt":"2026-11-22T10:00:00.5Z",
             "home":"alpha","redundancy":"3 replicas","overhead":3.0,"rawSizeBytes":32212254720}
            """;

    static final String VOLUME_LOGS = """
            {"id":"v0000000000000b2","name":"logs","sizeBytes":536870912,"chunkSizeBytes":67108864,"policy":"single",
             "allocatedBytes":0,"physicalBytes":0,"health":"degraded",
             "healthReason":"3 of 8 chunks have fewer replicas than policy single asks for: node beta is down",
             "chunks":8,"degradedChunks":3,"leaseHolder":null,"leaseEpoch":null,"createdAt":"2026-11-22T11:00:00Z",
             "futureField":"ignored"}
            """;

    static final String VOLUMES = "[" + VOLUME_DB + "," + VOLUME_LOGS + "]";

    static final String SNAPSHOT_MONDAY = """
            {"id":"s0000000000000c3","name":"monday","volume":"db","sizeBytes":10737418240,
             "createdAt":"2026-11-23T10:00:00Z","chunks":24}
            """;

    static final String SNAPSHOTS = "[" + SNAPSHOT_MONDAY + ","
            + """
            {"id":"s0000000000000c4","name":"tuesday","volume":"db","sizeBytes":10737418240,
             "createdAt":"2026-11-24T10:00:00Z","chunks":30}
            """ + "]";

    static final String CHANGED = """
            {"from":"monday","to":"db","chunkSizeBytes":67108864,
             "extents":[{"offset":0,"length":134217728},{"offset":671088640,"length":67108864}],
             "changedBytes":201326592}
            """;

    static String error(String code, String message) {
        return "{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":{}}";
    }
}
