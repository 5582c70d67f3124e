/** English messages: panel meeting room. */
export const meeting = {
};
