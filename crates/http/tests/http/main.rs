//! Integration tests of the HTTP layer: a real server on 127.0.0.1, a real SQLite store, a real
//! HTTP client. One test binary (one link) with a module per concern.

mod ckan;
mod codelists;
mod common;
mod counting;
mod data_api;
mod demo;
mod governance;
mod journey;
mod openapi;
mod pages;
mod portal;
mod region_names;
mod roles;
mod visual;
mod workspace;
