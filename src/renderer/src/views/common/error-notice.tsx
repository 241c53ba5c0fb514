/** An API error shown in words (always as text, never as markup). */
export function ErrorNotice({ message, title }: { message: string | null; title?: string }) {
  if (message === null) return null;
  return (
    <div className="notice notice--error" role="alert">
      {title ? <strong>{title} </strong> : null}
      <span>{message}</span>
    </div>
  );
}
