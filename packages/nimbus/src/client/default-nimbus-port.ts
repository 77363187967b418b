/** The port nimbus's REST API listens on, and clients call, when not told otherwise (Storm's nimbus.thrift.port). */
export const DEFAULT_NIMBUS_PORT = 6627;
