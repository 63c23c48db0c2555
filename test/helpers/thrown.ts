/** What `act` throws, or undefined when it returns (to assert on an error's type and message). */
export const thrown = (act: () => unknown): unknown => {
  try {
    act();
  } catch (err) {
    return err;
  }
  return undefined;
};

/** What `act` rejects with, or undefined when it resolves. */
export const rejected = async (act: () => Promise<unknown>): Promise<unknown> => {
  try {
    await act();
  } catch (err) {
    return err;
  }
  return undefined;
};
