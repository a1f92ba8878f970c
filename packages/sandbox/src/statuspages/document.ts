// What a status-page renderer serves: one document with its content type.
export interface StatusDocument {
  contentType: string;
  body: string;
}

export const json = (data: unknown): StatusDocument => ({
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(data),
});
