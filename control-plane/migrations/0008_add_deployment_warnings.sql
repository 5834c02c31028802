-- The compiler's warnings for a deployment that compiled (an upstream or policy no route
-- uses), as a JSON array in the shape of `errors`. Null for deployments made before this
-- migration and for those that never compiled.
ALTER TABLE deployments ADD COLUMN warnings TEXT;
