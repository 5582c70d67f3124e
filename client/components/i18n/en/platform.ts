/** English messages: new screens: create call, register proposals, connection state. */
export const platform = {
};
