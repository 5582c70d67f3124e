/** English messages: comment threads. */
export const comments = {
};
