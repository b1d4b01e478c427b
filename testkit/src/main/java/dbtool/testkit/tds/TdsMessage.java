package dbtool.testkit.tds;

/**
 * One TDS message as the client sent it: the packet type of its first packet and the payloads of
 * all its packets joined (a message ends with the packet whose status has the end-of-message bit).
 */
record TdsMessage(int type, byte[] payload) {

    static final int SQL_BATCH = 0x01;
    static final int RPC = 0x03;
    static final int REPLY = 0x04;
    static final int ATTENTION = 0x06;
    static final int LOGIN7 = 0x10;
    static final int PRELOGIN = 0x12;
}
