/** English messages: consensus report editor. */
export const report = {
};
