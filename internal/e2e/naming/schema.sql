-- Names that collide after conversion, Go keywords, quoted names with
-- spaces and punctuation, non-ASCII names, reserved-looking columns.
CREATE TABLE users (id int PRIMARY KEY, user_id int, "userId" int, type text, "range" text, func int);
CREATE TABLE "user" (id int PRIMARY KEY, name text);
CREATE TABLE "Order Items" ("Item ID" int PRIMARY KEY, "Quantity (units)" int, "a""quote" text, "back`tick" text);
CREATE SCHEMA "SPECIAL ""@/\#~_-";
CREATE TABLE "SPECIAL ""@/\#~_-"."odd table" (k text PRIMARY KEY, v text);
CREATE SCHEMA تست;
CREATE TABLE تست.تست (تست int PRIMARY KEY, "2fa" text);
CREATE TABLE options (id int PRIMARY KEY, limit_ int, "limit" int, "cursor" text, url text, ctx text, err text);
CREATE TABLE users_linux (id int PRIMARY KEY);
CREATE TYPE "status" AS ENUM ('op!en', 'clo@sed', '', 'Open');
CREATE TABLE tickets (id int PRIMARY KEY, s status, parent int REFERENCES tickets);
